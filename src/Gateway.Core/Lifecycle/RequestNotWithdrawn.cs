namespace Gateway.Core.Lifecycle;

/// <summary>
/// The request was not withdrawn, as when a reply to it or its withdrawal was decided. Only this way round: a withdrawn
/// request stays withdrawn, so a decision that saw it withdrawn needs no check.
/// </summary>
public sealed record RequestNotWithdrawn(string RequestMessageId) : Precondition;
