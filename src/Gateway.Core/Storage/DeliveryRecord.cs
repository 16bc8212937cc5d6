namespace Gateway.Core.Storage;

/// <summary>One delivery as stored: a message to one recipient, with its state and attempts.</summary>
public sealed record DeliveryRecord(
    long DeliveryId,
    string MessageId,
    string Recipient,
    string CaseReference,
    DeliveryState State,
    int Attempts,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil);
