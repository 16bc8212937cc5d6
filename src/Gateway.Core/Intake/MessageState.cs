namespace Gateway.Core.Intake;

/// <summary>State of an accepted message.</summary>
public enum MessageState
{
    Accepted = 1,

    /// <summary>Accepted, but its offence is political, military, religious or racial: a person must review it first.</summary>
    HeldForReview = 2,

    /// <summary>Accepted, but it answers a location request that was already withdrawn.</summary>
    Late = 3,
}
