using Gateway.Core.Audit;
using Gateway.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// The audit log of a store file, read without opening the store: read-only, without its lock, so that it can be
/// checked while a gateway runs on the file, and whatever the file's schema version (the audit table has not changed).
/// </summary>
public static class SqliteAuditLog
{
    /// <summary>Every entry and the recorded head, read in one transaction so that both are of the same moment.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static async Task<(IReadOnlyList<AuditRecord> Records, AuditHead? Head)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no store at {path}.", path);
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        var records = new List<AuditRecord>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = AuditReader.SelectAll;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(AuditReader.Read(reader));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = AuditReader.SelectHead;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return (records, await reader.ReadAsync(cancellationToken) ? AuditReader.ReadHead(reader) : null);
        }
    }
}
