namespace Gateway.Core.Storage;

/// <summary>State of a referral's coordination hold.</summary>
public enum HoldState
{
    /// <summary>Recipients prepare but must not act.</summary>
    Open = 1,

    /// <summary>The release party said go; recipients were sent a release notice.</summary>
    Released = 2,

    /// <summary>The referral's sender cancelled it; recipients were told not to act.</summary>
    Cancelled = 3,
}
