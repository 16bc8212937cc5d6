namespace Gateway.Core.Storage;

/// <summary>A referral's coordination hold as stored.</summary>
/// <param name="ResolvedBy">The release or cancellation message that ended it.</param>
public sealed record HoldRecord(string ReferralMessageId, string ReleaseParty, string Owner, HoldState State, string? ResolvedBy, DateTimeOffset? ResolvedAt);
