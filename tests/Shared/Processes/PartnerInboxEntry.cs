namespace Gateway.Tests.Shared;

/// <summary>One message applied by a PartnerSim, as its inbox recorded it.</summary>
/// <param name="ReceivedAt">Stamped by PartnerSim (UTC, 100 ns resolution, this machine's clock) when the group commit that applies it begins, before that commit's flush.</param>
public sealed record PartnerInboxEntry(
    long Sequence,
    string MessageId,
    string DeliveryId,
    string PayloadKind,
    string CaseReference,
    string Sender,
    string Recipient,
    bool PrepareOnly,
    bool Late,
    bool Replayed,
    uint Attempt,
    DateTimeOffset ReceivedAt);
