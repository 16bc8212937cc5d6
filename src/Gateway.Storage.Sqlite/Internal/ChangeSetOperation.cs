using Gateway.Core.Lifecycle;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>One change set for the single writer, applied in the batch's transaction.</summary>
internal sealed class ChangeSetOperation(ChangeSet changes) : WriteOperation<ChangeOutcome>
{
    protected override ChangeOutcome Execute(WriterSession session) => ChangeSetApplier.Apply(session, changes);
}
