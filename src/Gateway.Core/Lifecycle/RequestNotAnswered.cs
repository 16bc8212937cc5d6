namespace Gateway.Core.Lifecycle;

/// <summary>The request was not answered, as when a reply that answers it was decided. An answered request stays answered.</summary>
public sealed record RequestNotAnswered(string RequestMessageId) : Precondition;
