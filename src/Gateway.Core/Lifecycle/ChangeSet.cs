using Gateway.Core.Audit;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// A lifecycle transition as Core decided it: the conditions it was decided under, the rows to write and the audit
/// entries that record it. A store applies all of it in one transaction, or none of it and says which
/// <see cref="Precondition"/> no longer held; it decides nothing itself.
/// </summary>
/// <param name="Preconditions">Checked, in order, before anything is written.</param>
/// <param name="Rows">Written in order.</param>
/// <param name="Audit">Appended to the hash chain in order, after the rows, with the transaction's time.</param>
public sealed record ChangeSet(IReadOnlyList<Precondition> Preconditions, IReadOnlyList<RowChange> Rows, IReadOnlyList<AuditEntry> Audit);
