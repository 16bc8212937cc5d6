using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Gives back the leases of deliveries a worker claimed but did not send (their endpoint's breaker opened, or an earlier
/// delivery of their case failed first): the attempt the claim counted is taken off again and the delivery is as before
/// the claim, pending if it was never tried, else waiting for a retry that is due, so that nothing is dead-lettered for
/// a call never made. Not audited: nothing was attempted. A lease the worker no longer holds is left alone.
/// </summary>
internal sealed class ReleaseOperation(string worker, IReadOnlyList<long> deliveryIds) : WriteOperation<int>
{
    // Built once: the writer looks its prepared statements up by their text. next_attempt_at stays as it was, no later
    // than the claim, so the delivery is due at once and keeps its place before the later ones of its case.
    private static readonly string ReleaseSql =
        $"""
        UPDATE deliveries
        SET attempts = attempts - 1, lease_owner = NULL, lease_until = NULL,
            state = CASE WHEN attempts <= 1 THEN {(int)DeliveryState.Pending} ELSE {(int)DeliveryState.RetryWait} END
        WHERE delivery_id = ?1 AND lease_owner = ?2 AND state = {(int)DeliveryState.InFlight} AND attempts > 0
        """;

    protected override int Execute(WriterSession session)
    {
        var release = session.Statement(ReleaseSql).Bind(2, worker);
        var released = 0;
        foreach (var id in deliveryIds)
        {
            released += release.Bind(1, id).ExecuteChanges();
        }

        return released;
    }
}
