using System.Runtime.CompilerServices;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Storage.Postgres.Internal;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// The audit log of a PostgreSQL store as <c>verify-audit</c> reads it, as <c>SqliteAuditLog</c> does the SQLite file's:
/// read only, its recorded head and its entries of one moment, each entry as stored. Gateway instances keep appending
/// while it is read; one REPEATABLE READ snapshot holds the head and every entry up to it, where the store's own
/// <see cref="PostgresMessageStore.ReadAuditHeadAsync"/> and <see cref="PostgresMessageStore.ReadAuditAsync"/> are two
/// reads, between which other instances may append (the verifier would then see a log past its head, or short of it).
/// Opening it neither migrates the schema nor listens, so a role with only read access can run it.
/// </summary>
public sealed class PostgresAuditLog : IAsyncDisposable
{
    /// <summary>No keys: the verifier hashes the details as stored, and never needs a justification opened.</summary>
    private static readonly ColumnSeal AsStored = new(null);

    private readonly NpgsqlDataSource _dataSource;
    private readonly Snapshot _snapshot;

    private PostgresAuditLog(NpgsqlDataSource dataSource, Snapshot snapshot, AuditHead? head)
    {
        _dataSource = dataSource;
        _snapshot = snapshot;
        Head = head;
    }

    /// <summary>The recorded head, of the same moment as the entries <see cref="ReadAsync"/> gives; none before the first entry.</summary>
    public AuditHead? Head { get; }

    /// <summary>Begins the snapshot and reads the head in it.</summary>
    /// <exception cref="InvalidOperationException">The database holds no gateway store.</exception>
    public static async Task<PostgresAuditLog> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            var snapshot = await Snapshot.BeginAsync(dataSource, cancellationToken);
            try
            {
                return new PostgresAuditLog(dataSource, snapshot, await ReadHeadAsync(snapshot, cancellationToken));
            }
            catch
            {
                await snapshot.DisposeAsync();
                throw;
            }
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            await dataSource.DisposeAsync();
            var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
            throw new InvalidOperationException($"The database {database} holds no gateway store (it has no audit_head table).", error);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every entry up to <see cref="Head"/> in sequence order, each read as it is asked for.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _snapshot.Command($"SELECT {RowReader.AuditColumns} FROM audit ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return RowReader.ReadAudit(reader, AsStored);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _snapshot.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private static async Task<AuditHead?> ReadHeadAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        await using var command = snapshot.Command("SELECT seq, hash FROM audit_head WHERE id = 1 AND seq > 0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AuditHead(reader.GetInt64(0), (byte[])reader[1]) : null;
    }
}
