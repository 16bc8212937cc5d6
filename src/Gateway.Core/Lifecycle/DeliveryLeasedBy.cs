using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The delivery is still leased by <paramref name="Worker"/> for the attempt its claim counted: in flight, with that
/// owner and that number of attempts. A lease that ran out and was claimed again, even by the same worker, counts one
/// attempt more, so the outcome of the earlier attempt no longer applies.
/// </summary>
public sealed record DeliveryLeasedBy(long DeliveryId, string Worker, int Attempt) : Precondition
{
    /// <summary>The state a leased delivery is in.</summary>
    public DeliveryState State => DeliveryState.InFlight;
}
