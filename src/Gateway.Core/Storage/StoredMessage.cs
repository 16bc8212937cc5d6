using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>A committed message as read back from the store.</summary>
public sealed record StoredMessage(
    string MessageId,
    MessageKind Kind,
    string CaseReference,
    string Sender,
    byte[] ContentHash,
    byte[] Payload,
    DateTimeOffset CreatedAt,
    AcceptanceReceipt Receipt)
{
    /// <summary>For a location request: when it was withdrawn, if it was.</summary>
    public DateTimeOffset? WithdrawnAt { get; init; }

    /// <summary>The agency that opened the message's case; null only for a message the gateway made (a notice).</summary>
    public string? CaseOwner { get; init; }

    /// <summary>The W3C traceparent stored with the message (<see cref="NewMessage.TraceParent"/>); null when it came without one.</summary>
    public string? TraceParent { get; init; }
}
