namespace Gateway.Core.Storage;

/// <summary>What became of one attempt at a claimed delivery.</summary>
public enum DeliveryResolution
{
    /// <summary>The endpoint applied it.</summary>
    Delivered = 1,

    /// <summary>The endpoint had applied it before (a retry after a lost answer or a crash) and discarded it.</summary>
    DeliveredDuplicate = 2,

    /// <summary>The attempt failed; try again at <see cref="DeliveryCompletion.RetryAt"/>.</summary>
    RetryLater = 3,

    /// <summary>The attempt failed and the delivery has used up its attempts or age.</summary>
    DeadLettered = 4,

    /// <summary>The recipient refused the message (<see cref="DeliveryCompletion.Answer"/> says why): final, never retried.</summary>
    Refused = 5,

    /// <summary>The recipient asked the sender a question (<see cref="DeliveryCompletion.Answer"/>): final for this delivery.</summary>
    ClarificationRequested = 6,
}

/// <summary>The outcome of one attempt, recorded by the worker holding the lease.</summary>
/// <param name="Delivery">The delivery as its claim returned it: in flight, leased by the worker, with the attempt's number.</param>
public sealed record DeliveryCompletion(DeliveryRecord Delivery, DeliveryResolution Resolution, DateTimeOffset? RetryAt = null, string? Error = null)
{
    /// <summary>For <see cref="DeliveryResolution.Refused"/> and <see cref="DeliveryResolution.ClarificationRequested"/>: the recipient's answer.</summary>
    public EndpointAnswer? Answer { get; init; }

    /// <summary>How long the endpoint call that carried the attempt took, as the dispatcher measured it; null when not measured.</summary>
    public TimeSpan? Duration { get; init; }
}
