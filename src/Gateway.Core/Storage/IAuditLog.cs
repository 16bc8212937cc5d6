using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>The append-only, hash-chained audit log.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Appends <paramref name="entries"/> to the hash chain, in order, and returns the sequence of the last once they are
    /// on disk: the audit of what changes no row (a refused call, an operator call, a consultation).
    /// </summary>
    Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    /// <summary>The audit log in sequence order.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken);

    Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken);
}
