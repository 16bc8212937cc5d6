namespace Gateway.Core.Storage;

/// <summary>The due deliveries a claim took, as they were before it, and the time of its transaction, from which their leases run.</summary>
public sealed record DueClaim(IReadOnlyList<DueDelivery> Claimed, DateTimeOffset At);
