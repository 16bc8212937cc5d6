namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// A test's view of the steps that make a write durable, in the order the store takes them: a batch commits, a flush of
/// the WAL starts and ends, and only then are the batch's callers answered and its deliveries shown to the update feed.
/// A test records the calls (with the answers its callers see) and checks that every answer came after a flush that
/// began after the answer's commit; that check fails if the flush is removed or answers are given before it.
/// </summary>
/// <remarks>
/// An observer that throws is a fault injected at that point: thrown from <see cref="Committed"/> it stops the writer,
/// thrown from <see cref="FlushStarting"/> it fails the flush, as a failed fsync would. Calls come from the writer and
/// the flusher threads; without an observer the store pays one null check per batch and per flush.
/// </remarks>
internal interface IDurabilityObserver
{
    /// <summary>The writer committed a batch (not yet durable). Commits are numbered from 1 in the order they were made.</summary>
    /// <param name="lastAuditSequence">The audit sequence of the batch's last entry: writes up to it were committed by now.</param>
    /// <param name="lastDeliveryId">The highest delivery id once the batch was committed.</param>
    void Committed(long commit, long lastAuditSequence, long lastDeliveryId);

    /// <summary>A flush is about to start; it covers the commits up to <paramref name="coveredCommit"/>, made before it.</summary>
    void FlushStarting(long flush, long coveredCommit);

    /// <summary>The flush ended; deliveries up to <paramref name="durableDeliveryId"/> may now be read by the update feed.</summary>
    void Flushed(long flush, long durableDeliveryId);
}
