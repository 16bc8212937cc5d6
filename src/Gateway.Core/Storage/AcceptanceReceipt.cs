using Interagency.V1;
using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>What the sender is told once its message is durable; replays get the very same receipt.</summary>
public sealed record AcceptanceReceipt(
    string MessageId,
    IReadOnlyList<string> Recipients,
    DateTimeOffset AcceptedAt,
    long AuditSequence,
    MessageState State);
