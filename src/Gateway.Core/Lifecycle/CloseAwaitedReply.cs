using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// Closes the reply deadline of one recipient of a request: it answered (a reply, a refusal, a question), or the request
/// was withdrawn. Nothing happens when that recipient owes no reply or already closed it.
/// </summary>
/// <param name="ClosedBy">The reply's message id, or for an endpoint's answer the delivery's id as text.</param>
public sealed record CloseAwaitedReply(string MessageId, string Recipient, ReplyClosure Closure, string ClosedBy) : RowChange;
