using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>Opens the coordination hold of a referral stored in the same change set: its recipients prepare but must not act.</summary>
/// <param name="ReleaseParty">The only agency that may release it.</param>
/// <param name="Owner">The referral's sender, the only agency that may cancel it.</param>
public sealed record OpenHold(string ReferralMessageId, string ReleaseParty, string Owner) : RowChange
{
    public HoldState State => HoldState.Open;
}
