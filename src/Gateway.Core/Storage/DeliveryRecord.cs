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
    DateTimeOffset? LeaseUntil)
{
    /// <summary>When the delivery was created (or replayed): the start of its age for dead-lettering.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last failure, as a status code and short text; never message content.</summary>
    public string? LastError { get; init; }

    /// <summary>An operator replayed it after it was dead-lettered.</summary>
    public bool Replayed { get; init; }
}
