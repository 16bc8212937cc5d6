namespace Gateway.Core.Storage;

/// <summary>State of one delivery (one message to one recipient), per the lifecycle in DESIGN.md.</summary>
public enum DeliveryState
{
    Pending = 1,

    // 2 was "held" for a coordination hold; such a referral is now delivered at once, flagged prepare-only,
    // and the hold itself is a row of its own (see HoldRecord).

    /// <summary>The message is held for human review; nothing is forwarded until it is cleared.</summary>
    HeldForReview = 3,
    InFlight = 4,
    Delivered = 5,
    RetryWait = 6,
    DeadLettered = 7,
    Withdrawn = 8,

    /// <summary>The message was held for human review and the reviewer refused it: it is never delivered.</summary>
    RefusedOnReview = 9,

    /// <summary>The recipient's endpoint refused the message: final, never retried; the sender gets a notice.</summary>
    RefusedByRecipient = 10,

    /// <summary>The recipient's endpoint asked the sender a question: final for this delivery; the sender gets a notice.</summary>
    ClarificationRequested = 11,

    /// <summary>
    /// The recipient asked a question and the sender answered it: the answer went to the recipient as a message of its
    /// own, and the question cannot be answered again. Final.
    /// </summary>
    ClarificationAnswered = 12,
}
