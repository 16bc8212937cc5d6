using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>The referral's coordination hold is still in <see cref="State"/>, as it was when its release or cancellation was decided.</summary>
public sealed record HoldOpen(string ReferralMessageId) : Precondition
{
    public HoldState State => HoldState.Open;
}
