using Gateway.Core.Audit;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Appends audit entries that change no row (a refused call, an operator call, a consultation), in order.</summary>
internal sealed class AuditOperation(IReadOnlyList<AuditEntry> entries) : WriteOperation<long>
{
    protected override long Execute(WriterSession session)
    {
        var sequence = 0L;
        foreach (var entry in entries)
        {
            sequence = session.AppendAudit(entry);
        }

        return sequence;
    }
}
