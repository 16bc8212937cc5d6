namespace Gateway.Core.Lifecycle;

/// <summary>What a store did with a change set.</summary>
/// <param name="Failed">The first precondition that no longer held (nothing was written), or null when it was applied.</param>
/// <param name="At">The time of the transaction, which its rows and audit entries carry.</param>
/// <param name="AuditSequences">The sequences given to the change set's audit entries, in order; empty when not applied.</param>
public sealed record ChangeOutcome(Precondition? Failed, DateTimeOffset At, IReadOnlyList<long> AuditSequences)
{
    public bool Applied => Failed is null;
}
