namespace Gateway.Core.Lifecycle;

/// <summary>The recipient still owes its reply to the request and was not yet raised overdue for it.</summary>
public sealed record ReplyStillAwaited(string MessageId, string Recipient) : Precondition;
