using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>Ends a referral's coordination hold: released or cancelled by the message <paramref name="By"/>, at the change set's time.</summary>
public sealed record ResolveHold(string ReferralMessageId, HoldState State, string By) : RowChange;
