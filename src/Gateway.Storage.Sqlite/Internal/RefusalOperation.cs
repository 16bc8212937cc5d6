using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Appends the audit entry of a refused call.</summary>
internal sealed class RefusalOperation(RefusalRecord refusal) : WriteOperation<long>
{
    protected override long Execute(WriterSession session) =>
        session.AppendAudit(
            AuditKinds.IntakeRefused,
            refusal.Actor,
            refusal.MessageId,
            $"rpc={refusal.Rpc} code={refusal.Code} reason={refusal.Reason} fields={string.Join(';', refusal.Fields)}");
}
