using Gateway.Core.Lifecycle;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The change set that accepts a message, applied like any other, and noted once applied if it added a party to a case,
/// so that the writer drops the cached parties of the reference when it commits.
/// </summary>
internal sealed class AcceptOperation(ChangeSet changes) : WriteOperation<ChangeOutcome>
{
    /// <summary>Set when the change set was applied and made an agency a party of a case under this reference.</summary>
    public string? CaseWithNewParties { get; private set; }

    protected override ChangeOutcome Execute(WriterSession session)
    {
        var outcome = ChangeSetApplier.Apply(session, changes);
        if (outcome.Applied)
        {
            foreach (var row in changes.Rows)
            {
                if (row is JoinCase join)
                {
                    CaseWithNewParties = join.CaseReference;
                }
            }
        }

        return outcome;
    }
}
