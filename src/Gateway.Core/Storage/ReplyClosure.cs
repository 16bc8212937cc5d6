namespace Gateway.Core.Storage;

/// <summary>How a recipient's reply deadline on a request was closed.</summary>
public enum ReplyClosure
{
    /// <summary>The recipient replied (a location report, a referral answer, a translation result).</summary>
    Answered = 1,

    /// <summary>The sender withdrew the request.</summary>
    Withdrawn = 2,

    /// <summary>The recipient's endpoint refused the request.</summary>
    Refused = 3,

    /// <summary>The recipient's endpoint asked the sender a question; the sender's answer starts the deadline again.</summary>
    ClarificationRequested = 4,
}
