namespace Gateway.Core.Storage;

/// <summary>A delivery as its message's trace shows it: its state, when it is due next or finished, and when its reply is due.</summary>
/// <param name="ReplyDueAt">When the recipient's reply is due, while the message still awaits it; null otherwise.</param>
public sealed record DeliveryTraceRecord(DeliveryRecord Delivery, DateTimeOffset NextAttemptAt, DateTimeOffset? FinishedAt, DateTimeOffset? ReplyDueAt);
