using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>Outcome of a submission: a receipt (new or replayed) or a refusal.</summary>
public sealed record IntakeResult(AcceptanceReceipt? Receipt, IntakeRefusal? Refusal)
{
    /// <summary>The message was committed earlier with the same content; this receipt is the stored one.</summary>
    public bool Duplicate { get; init; }

    /// <summary>SHA-256 of the accepted message's kind and content, as stored; empty for a refusal. Its receipt carries it.</summary>
    public byte[] ContentHash { get; init; } = [];

    public static IntakeResult Accepted(AcceptanceReceipt receipt, byte[] contentHash) => new(receipt, null) { ContentHash = contentHash };

    public static IntakeResult Replayed(AcceptanceReceipt receipt, byte[] contentHash) =>
        new(receipt, null) { Duplicate = true, ContentHash = contentHash };

    public static IntakeResult Refused(IntakeRefusal refusal) => new(null, refusal);
}
