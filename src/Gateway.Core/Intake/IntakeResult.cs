using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>Outcome of a submission: a receipt (new or replayed) or a refusal.</summary>
public sealed record IntakeResult(AcceptanceReceipt? Receipt, IntakeRefusal? Refusal)
{
    /// <summary>The message was committed earlier with the same content; this receipt is the stored one.</summary>
    public bool Duplicate { get; init; }

    public static IntakeResult Accepted(AcceptanceReceipt receipt) => new(receipt, null);

    public static IntakeResult Replayed(AcceptanceReceipt receipt) => new(receipt, null) { Duplicate = true };

    public static IntakeResult Refused(IntakeRefusal refusal) => new(null, refusal);
}
