using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The outcome of an attempt: the lease ends and the delivery goes to <paramref name="State"/>; a retry is due at
/// <paramref name="RetryAt"/> (when given), the error is kept (when given), and a delivery that is
/// <paramref name="Finished"/> gets the transaction's time as its end.
/// </summary>
public sealed record RecordDeliveryAttempt(long DeliveryId, DeliveryState State, DateTimeOffset? RetryAt, string? Error, bool Finished) : RowChange;
