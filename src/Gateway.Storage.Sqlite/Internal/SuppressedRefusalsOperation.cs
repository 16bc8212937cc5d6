using System.Globalization;
using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Appends the entry counting the refusals of one source and window that were not audited one by one.</summary>
internal sealed class SuppressedRefusalsOperation(SuppressedRefusals suppressed) : WriteOperation<long>
{
    protected override long Execute(WriterSession session) =>
        session.AppendAudit(
            AuditKinds.IntakeRefusalsSuppressed,
            "unauthenticated",
            null,
            string.Create(
                CultureInfo.InvariantCulture,
                $"source={suppressed.Source} count={suppressed.Count} window={suppressed.WindowStart:O}/{suppressed.WindowEnd:O}"));
}
