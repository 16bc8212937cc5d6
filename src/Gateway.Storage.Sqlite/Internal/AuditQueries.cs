using System.Runtime.CompilerServices;
using Gateway.Core.Audit;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>The audit log read back: all of it in order, its recorded head, or the entries about one message.</summary>
internal sealed class AuditQueries(ReaderConnections readers)
{
    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AuditReader.SelectAll;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return AuditReader.Read(reader);
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

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditOfMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = AuditReader.SelectForMessage;
        command.Parameters.AddWithValue("$message_id", messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(AuditReader.Read(reader));
        }

        return records;
    }
}
