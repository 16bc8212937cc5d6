using System.Runtime.CompilerServices;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>The audit log read back: all of it in order, justifications opened, and its recorded head.</summary>
internal sealed class AuditQueries(ReaderConnections readers, ColumnSeal seal)
{
    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AuditReader.SelectAll;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return seal.OpenAudit(AuditReader.Read(reader));
        }
    }

    public async Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AuditReader.SelectHead;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? AuditReader.ReadHead(reader) : null;
    }
}
