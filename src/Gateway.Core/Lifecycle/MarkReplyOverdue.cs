namespace Gateway.Core.Lifecycle;

/// <summary>The request's reply-by passed without a reply: it is marked overdue at the transaction's time, once.</summary>
public sealed record MarkReplyOverdue(string MessageId) : RowChange;
