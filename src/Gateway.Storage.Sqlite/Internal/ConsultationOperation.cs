using Gateway.Core.Audit;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Appends one audit entry per message whose content an operator is about to be shown.</summary>
internal sealed class ConsultationOperation(string actor, IReadOnlyList<string> messageIds, string via) : WriteOperation<bool>
{
    protected override bool Execute(WriterSession session)
    {
        foreach (var messageId in messageIds)
        {
            session.AppendAudit(AuditKinds.MessageConsulted, actor, messageId, $"via={via}");
        }

        return true;
    }
}
