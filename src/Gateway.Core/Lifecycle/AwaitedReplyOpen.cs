namespace Gateway.Core.Lifecycle;

/// <summary>
/// The recipient still owes its reply to the request, as when a reply that answers it was decided (overdue or not). A
/// deadline once closed stays closed, so the reply that closes it is audited as the answer once.
/// </summary>
public sealed record AwaitedReplyOpen(string MessageId, string Recipient) : Precondition;
