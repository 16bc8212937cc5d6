using Gateway.Core.Lifecycle;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The change set that accepts a message, applied like any other, and noted once applied if the message may have added
/// a party to its case, so that the writer drops the case's cached parties when it commits.
/// </summary>
internal sealed class AcceptOperation(ChangeSet changes) : WriteOperation<ChangeOutcome>
{
    /// <summary>Set when the change set was applied and its message counts among its case's parties.</summary>
    public string? CaseWithNewParties { get; private set; }

    protected override ChangeOutcome Execute(WriterSession session)
    {
        var outcome = ChangeSetApplier.Apply(session, changes);
        if (outcome.Applied)
        {
            foreach (var row in changes.Rows)
            {
                if (row is InsertMessage insert && IntakeQueries.CountsForParties(insert.Message.Kind))
                {
                    CaseWithNewParties = insert.Message.CaseReference;
                }
            }
        }

        return outcome;
    }
}
