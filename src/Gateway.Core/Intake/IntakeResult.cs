using Gateway.Core.Storage;

namespace Gateway.Core.Intake;

/// <summary>Outcome of a submission: a receipt (new or replayed) or a refusal.</summary>
public sealed record IntakeResult(AcceptanceReceipt? Receipt, IntakeRefusal? Refusal)
{
    public static IntakeResult Accepted(AcceptanceReceipt receipt) => new(receipt, null);

    public static IntakeResult Refused(IntakeRefusal refusal) => new(null, refusal);
}
