namespace Gateway.Core.Storage;

/// <summary>What a reviewer decides on a message held for human review.</summary>
public enum ReviewDecision
{
    /// <summary>Deliver it to its recipients.</summary>
    Release = 1,

    /// <summary>Never deliver it.</summary>
    Refuse = 2,
}
