namespace Gateway.Delivery;

/// <summary>The dispatcher's settings (section <c>Gateway:Delivery</c>); retries are under <c>Gateway:Delivery:Retry</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Gateway:Delivery";

    /// <summary>Whether this gateway delivers; off, it only accepts and stores.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Deliveries per <c>DeliverBatch</c> call.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Deliveries in flight at once, over all endpoints.</summary>
    public int MaxInFlight { get; set; } = 1024;

    /// <summary>
    /// Deliveries in flight at once to one endpoint, so that a slow endpoint cannot take all of
    /// <see cref="MaxInFlight"/> from the others.
    /// </summary>
    public int MaxInFlightPerEndpoint { get; set; } = 256;

    /// <summary>
    /// Deliveries in the one call that probes an endpoint when its back-off ends (its breaker half-open); the rest wait
    /// for the probe's outcome. At most <see cref="BatchSize"/>.
    /// </summary>
    public int ProbeBatchSize { get; set; } = 1;

    /// <summary>How long a claim is held; another worker may take the delivery after that. Longer than <see cref="Timeout"/>.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Deadline of one call to an endpoint.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between two looks at the store when nothing signals new work.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often requests are checked for a passed reply-by time.</summary>
    public TimeSpan OverdueScanInterval { get; set; } = TimeSpan.FromSeconds(30);
}
