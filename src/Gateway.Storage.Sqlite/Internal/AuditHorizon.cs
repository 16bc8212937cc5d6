using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The last audit sequence known to be on disk, and a wait for it to move (<see cref="GrowingValue.WaitAfterAsync"/>):
/// a commit advances it when the store does not flush its log itself (synchronous=NORMAL), else the flush that covers
/// the commit does. Readers that hand entries to the outside (a flow of events) stop there, as the update feed stops
/// at the durable delivery id.
/// </summary>
internal sealed class AuditHorizon(long sequence) : GrowingValue(sequence)
{
    public long Sequence => Value;

    public void Advance(long sequence) => AdvanceTo(sequence);
}
