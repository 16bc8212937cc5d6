namespace Gateway.Core.Lifecycle;

/// <summary>The recipient's reply deadline on the request passed unanswered: marked overdue at the transaction's time, once.</summary>
public sealed record MarkReplyOverdue(string MessageId, string Recipient) : RowChange;
