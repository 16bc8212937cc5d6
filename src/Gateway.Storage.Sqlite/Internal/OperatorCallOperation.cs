using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Appends the audit entry of an operator call.</summary>
internal sealed class OperatorCallOperation(OperatorCallRecord call) : WriteOperation<long>
{
    protected override long Execute(WriterSession session) =>
        session.AppendAudit(
            AuditKinds.OperatorCall,
            call.Actor,
            null,
            $"rpc={call.Rpc} code={call.Code} reason={call.Reason} scope={call.Scope} fields={string.Join(';', call.Fields)}");
}
