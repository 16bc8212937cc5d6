namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>One message applied by a PartnerSim, as its inbox recorded it.</summary>
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
