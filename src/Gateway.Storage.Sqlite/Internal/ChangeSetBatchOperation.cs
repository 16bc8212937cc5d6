using Gateway.Core.Lifecycle;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Change sets applied in one transaction, each on its own: one whose precondition fails is skipped (the applier checks
/// every precondition before writing), the others apply. Claims, completions and replays come so, many per commit.
/// </summary>
internal sealed class ChangeSetBatchOperation(IReadOnlyList<ChangeSet> changes) : WriteOperation<IReadOnlyList<ChangeOutcome>>
{
    protected override IReadOnlyList<ChangeOutcome> Execute(WriterSession session)
    {
        var outcomes = new ChangeOutcome[changes.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = ChangeSetApplier.Apply(session, changes[i]);
        }

        return outcomes;
    }
}
