namespace Gateway.Core.Storage;

/// <summary>How a reply-type message acts on the message it answers, applied in the same transaction that stores it.</summary>
public enum LinkKind
{
    /// <summary>A location report: marks the request answered; the report is late if the request was withdrawn.</summary>
    Reply = 1,

    /// <summary>A withdrawal: the request's deliveries never attempted are withdrawn; the others get the withdrawal.</summary>
    Withdraw = 2,

    /// <summary>Releases an open coordination hold.</summary>
    ReleaseHold = 3,

    /// <summary>Cancels an open coordination hold.</summary>
    CancelHold = 4,

    /// <summary>
    /// A clarification answer: answers the open question of one recipient about the message, and starts that recipient's
    /// reply deadline again.
    /// </summary>
    Clarify = 5,
}

/// <summary>A reply-type message's link to the message it answers.</summary>
public sealed record MessageLink(LinkKind Kind, string TargetMessageId);
