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
}
