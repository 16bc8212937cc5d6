namespace Gateway.Core.Delivery;

/// <summary>How failed deliveries are retried (section <c>Gateway:Delivery:Retry</c>).</summary>
public sealed class RetryOptions
{
    public const string Section = "Gateway:Delivery:Retry";

    /// <summary>Attempts after which a delivery is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Age after which a delivery that still fails is dead-lettered.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Delay before the second attempt; each further one doubles it, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two attempts, and between two probes of an endpoint backed off; at least <see cref="BaseDelay"/>.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Consecutive failed calls after which an endpoint is backed off as a whole.</summary>
    public int EndpointFailureThreshold { get; set; } = 3;
}
