namespace Gateway.Core.Encryption;

/// <summary>
/// A store that can rewrite its sealed values under the active data key, a small batch at a time, so that the keys
/// they were sealed under can be retired. Each batch is short and goes through the store's writer; the store keeps
/// serving between batches, and a run that stops can start again from any position (values already under the
/// active key are left as they are).
/// </summary>
public interface IReencryptionStore
{
    /// <summary>
    /// Reseals under the active key the values of the next <paramref name="batchSize"/> rows after
    /// <paramref name="after"/> (messages first, then deliveries) and says where the next batch starts.
    /// </summary>
    /// <exception cref="DataKeyMissingException">A value is sealed under a key that is not configured.</exception>
    Task<ReencryptionBatch> ReencryptAsync(ReencryptionCursor after, int batchSize, CancellationToken cancellationToken);
}

/// <summary>Where a re-encryption run is (its cursor): the last message row and the last delivery it went past.</summary>
public sealed record ReencryptionCursor(long MessageSeq, long DeliveryId)
{
    public static readonly ReencryptionCursor Start = new(0, 0);
}

/// <param name="Next">Where the next batch starts.</param>
/// <param name="Scanned">Rows this batch read.</param>
/// <param name="Resealed">Values this batch rewrote under the active key (the rest already were, or changed meanwhile).</param>
/// <param name="Done">True when no row is left after <paramref name="Next"/>.</param>
/// <param name="LastMessageSeq">The store's last message row now, for progress.</param>
/// <param name="LastDeliveryId">The store's last delivery now, for progress.</param>
public sealed record ReencryptionBatch(
    ReencryptionCursor Next, int Scanned, int Resealed, bool Done, long LastMessageSeq, long LastDeliveryId);
