namespace Gateway.Core.Lifecycle;

/// <summary>The request is still awaiting its reply: not answered, not withdrawn, not yet raised overdue.</summary>
public sealed record ReplyStillAwaited(string MessageId) : Precondition;
