namespace Gateway.Core.Lifecycle;

/// <summary>
/// Starts one recipient's reply deadline on a request again, due at <paramref name="Due"/>: the sender answered the
/// question that recipient asked about it.
/// </summary>
public sealed record ReopenAwaitedReply(string MessageId, string Recipient, DateTimeOffset Due) : RowChange;
