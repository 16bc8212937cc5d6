namespace Gateway.Core.Intake;

/// <summary>The kinds of message the gateway carries; agencies and routes name them.</summary>
public enum MessageKind
{
    Referral = 1,
    LocationRequest = 2,
    LocationReport = 3,
    Withdrawal = 4,
    CaseUpdate = 5,
    HoldRelease = 6,
    HoldCancellation = 7,

    /// <summary>A recipient's answer to a referral; goes to the referral's sender.</summary>
    ReferralAnswer = 8,

    /// <summary>A sender's answer to a recipient's clarification request; goes to that recipient.</summary>
    ClarificationAnswer = 9,

    /// <summary>
    /// Made by the gateway, never submitted: tells a message's sender that a recipient's reply is overdue, or that the
    /// recipient refused the message or asked a question about it.
    /// </summary>
    Notice = 10,
}
