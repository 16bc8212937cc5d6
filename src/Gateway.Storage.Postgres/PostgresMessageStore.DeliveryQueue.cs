using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Postgres.Internal;

namespace Gateway.Storage.Postgres;

/// <summary>
/// The delivery queue, shared by the dispatchers of every instance on the database. A claim locks the due deliveries it
/// takes (<see cref="DueDeliveries"/>) and leases them in the same transaction, so no delivery is handed to two instances
/// at once; a lease that runs out (its instance died) makes the delivery due again for any instance.
/// </summary>
/// <remarks>
/// Claims and releases append nothing to the audit chain and do not wait for its head: only the row locks of the
/// deliveries they change. A change set that appends (an attempt's outcome) or checks more than a delivery's row takes
/// the head, and takes it before any delivery row, in the order acceptance takes them (<see cref="ChangeSetApplier"/>).
/// </remarks>
public sealed partial class PostgresMessageStore : IDeliveryQueue
{
    public Task<DueClaim> ClaimDueAsync(
        int max, IReadOnlyCollection<string> excludedRecipients, Func<DueDelivery, ChangeSet?> decide, CancellationToken cancellationToken) =>
        ClaimAsync(max, [.. excludedRecipients], null, decide, cancellationToken);

    public Task<DueClaim> ClaimDueToAsync(
        int max, IReadOnlyCollection<string> recipients, Func<DueDelivery, ChangeSet?> decide, CancellationToken cancellationToken) =>
        ClaimAsync(max, [], [.. recipients], decide, cancellationToken);

    /// <remarks>
    /// Change sets that need the head (an outcome appended to the chain) go to the group commit writer as one write: they
    /// share its batch's lock of the head, which it takes before any delivery row. The others (leases given back) lock
    /// only their deliveries' rows, in a transaction of their own that waits for no batch.
    /// </remarks>
    public Task<IReadOnlyList<ChangeOutcome>> ApplyEachAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ChangeOutcome>>([]);
        }

        if (changes.Any(ChangeSetApplier.NeedsHead))
        {
            return _writer.EnqueueAsync((transaction, ct) => ApplyEachAsync(transaction, changes, ct), cancellationToken);
        }

        return Guarded(async () =>
        {
            await using var transaction = await ChangeTransaction.BeginWithoutHeadAsync(_dataSource, _seal, _time, cancellationToken);
            var outcomes = await ApplyEachAsync(transaction, changes, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return outcomes;
        });
    }

    /// <remarks>
    /// Leases count too: here a lease may be another instance's, and when that instance died its deliveries fall due when
    /// the lease runs out, with nothing committed to wake anyone; the dispatcher's idle wait must end then, not a poll later.
    /// </remarks>
    public Task<DateTimeOffset?> NextRetryDueAsync(DateTimeOffset after, CancellationToken cancellationToken) =>
        Guarded(async () =>
        {
            await using var command = _dataSource.CreateCommand(
                $"SELECT least((SELECT min(next_attempt_at) FROM deliveries WHERE state = {(int)DeliveryState.RetryWait} AND next_attempt_at > $1), "
                + $"(SELECT min(lease_until) FROM deliveries WHERE state = {(int)DeliveryState.InFlight} AND lease_until > $1))");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = AuditChain.ToMicroseconds(after) });
            return await command.ExecuteScalarAsync(cancellationToken) is long micros ? AuditChain.FromMicroseconds(micros) : (DateTimeOffset?)null;
        });

    private static async Task<IReadOnlyList<ChangeOutcome>> ApplyEachAsync(
        ChangeTransaction transaction, IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken)
    {
        var outcomes = new ChangeOutcome[changes.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = await ChangeSetApplier.ApplyAsync(transaction, changes[i], cancellationToken);
        }

        return outcomes;
    }

    private Task<DueClaim> ClaimAsync(int max, string[] excluded, string[]? only, Func<DueDelivery, ChangeSet?> decide, CancellationToken cancellationToken) =>
        Guarded(async () =>
        {
            await using var transaction = await ChangeTransaction.BeginWithoutHeadAsync(_dataSource, _seal, _time, cancellationToken);
            var at = transaction.Now;
            var claimed = new List<DueDelivery>();
            foreach (var due in await DueDeliveries.LockAsync(transaction, _reads, max, excluded, only, cancellationToken))
            {
                if (decide(due) is { } changes && (await ChangeSetApplier.ApplyAsync(transaction, changes, cancellationToken)).Applied)
                {
                    claimed.Add(due);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return new DueClaim(claimed, at);
        });
}
