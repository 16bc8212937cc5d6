using Gateway.Core.Storage;

namespace Gateway.Delivery;

/// <summary>
/// Tells every waiting subscriber that case updates were committed: a broadcast, unlike <see cref="WorkSignal"/>.
/// A subscriber remembers the <see cref="Version"/> it last read at and waits for a later one
/// (<see cref="GrowingValue.WaitAfterAsync"/>), so a commit between its read and its wait is never missed.
/// </summary>
public sealed class UpdateFeedSignal : GrowingValue
{
    public long Version => Value;

    public void Notify() => Increment();
}
