using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// A claim in one write operation: finds the due deliveries (<see cref="DeliveryQueueQueries.FindDue"/>), the queue's
/// mechanism, and applies to each the change set Core decides for it, in the same transaction, so that a claim reads and
/// writes one state of the queue and costs the writer one turn.
/// </summary>
/// <param name="claimable">Whether deliveries to a recipient may be claimed now.</param>
/// <param name="decide">Core's decision for each due delivery: its claim, or null to leave it.</param>
internal sealed class ClaimOperation(int max, Func<string, bool> claimable, Func<DueDelivery, ChangeSet?> decide) : WriteOperation<DueClaim>
{
    /// <summary>A claim of deliveries to any recipient but <paramref name="excluded"/>.</summary>
    public static ClaimOperation Except(int max, IReadOnlyCollection<string> excluded, Func<DueDelivery, ChangeSet?> decide)
    {
        var set = excluded as ISet<string> ?? excluded.ToHashSet(StringComparer.Ordinal);
        return new ClaimOperation(max, recipient => !set.Contains(recipient), decide);
    }

    /// <summary>A claim of deliveries to <paramref name="recipients"/> only.</summary>
    public static ClaimOperation To(int max, IReadOnlyCollection<string> recipients, Func<DueDelivery, ChangeSet?> decide)
    {
        var set = recipients.ToHashSet(StringComparer.Ordinal);
        return new ClaimOperation(max, set.Contains, decide);
    }

    protected override DueClaim Execute(WriterSession session)
    {
        var claimed = new List<DueDelivery>();
        foreach (var due in DeliveryQueueQueries.FindDue(session, max, claimable))
        {
            if (decide(due) is { } changes && ChangeSetApplier.Apply(session, changes).Applied)
            {
                claimed.Add(due);
            }
        }

        return new DueClaim(claimed, session.Now);
    }
}
