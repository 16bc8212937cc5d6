using Interagency.V1;

namespace Gateway.PartnerSim.Services;

/// <summary>A call's outcomes, one per delivery, or why the whole call was refused (then nothing was applied).</summary>
public sealed record ReceptionAnswer(IReadOnlyList<DeliveryOutcome> Outcomes, string? Refusal);
