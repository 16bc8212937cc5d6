namespace Gateway.Core.Storage;

/// <summary>State of one delivery (one message to one recipient), per the lifecycle in DESIGN.md.</summary>
public enum DeliveryState
{
    Pending = 1,

    /// <summary>Coordination hold: waits for the release signal of the named party.</summary>
    Held = 2,

    /// <summary>The message is held for human review; nothing is forwarded until it is cleared.</summary>
    HeldForReview = 3,
    InFlight = 4,
    Delivered = 5,
    RetryWait = 6,
    DeadLettered = 7,
    Withdrawn = 8,
}
