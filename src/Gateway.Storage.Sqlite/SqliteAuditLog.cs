using System.Runtime.CompilerServices;
using Gateway.Core.Audit;
using Gateway.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// The audit log of a store file, read without opening the store: read-only, without its lock, so that it can be
/// checked while a gateway runs on the file, and whatever the file's schema version (the audit table has not changed).
/// The entries are read as a stream, one row at a time, so that a log of years is read in the memory of a few entries.
/// </summary>
public sealed class SqliteAuditLog : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    private SqliteAuditLog(SqliteConnection connection, SqliteTransaction transaction, AuditHead? head)
    {
        _connection = connection;
        _transaction = transaction;
        Head = head;
    }

    /// <summary>The recorded head, of the same moment as the entries <see cref="ReadAsync"/> gives.</summary>
    public AuditHead? Head { get; }

    /// <summary>Opens the file read-only and reads its head in a transaction that the entries are then read in, so both are of one moment.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static async Task<SqliteAuditLog> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no store at {path}.", path);
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = AuditReader.SelectHead;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return new SqliteAuditLog(connection, transaction, await reader.ReadAsync(cancellationToken) ? AuditReader.ReadHead(reader) : null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every entry in sequence order, each read from the file as it is asked for.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = AuditReader.SelectAll;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return AuditReader.Read(reader);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
