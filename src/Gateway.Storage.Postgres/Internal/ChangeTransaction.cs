using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// One change set's transaction, from the lock on the audit chain's head to the commit. Every writer of every gateway
/// instance that appends to the chain locks the head row (<c>SELECT ... FOR UPDATE</c>) before it reads or writes
/// anything the head guards, so the transactions that append run one after the other: each entry's sequence and previous
/// hash are the head as the last commit left it, and, under READ COMMITTED, each statement after the lock sees every
/// change set committed before, so a precondition checked here holds at the commit as it did in the SQLite store's single
/// writer. The delivery queue's claims and releases append nothing and begin without the head
/// (<see cref="BeginWithoutHeadAsync"/>); the delivery rows they change are guarded by row locks.
/// </summary>
/// <remarks>
/// A row lock rather than an advisory transaction lock: the head must be read in the same transaction anyway, the lock
/// then comes with that read, and it names what it protects; an advisory lock is a number that every writer (and any
/// future one) must know to take. Both are released by the commit or by the session's death, so a killed instance
/// leaves no lock behind.
/// </remarks>
internal sealed class ChangeTransaction : IAsyncDisposable
{
    // One at a time: each change set's savepoint is released or rolled back to before the next one's is taken.
    private const string SavepointName = "change_set";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly TimeProvider _time;
    private bool _headLocked;
    private long _headSequence;
    private long _sequence;
    private byte[] _hash = [];

    private ChangeTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, ColumnSeal seal, TimeProvider time)
    {
        _connection = connection;
        _transaction = transaction;
        _time = time;
        Seal = seal;
        Now = Truncated(time);
    }

    /// <summary>
    /// The time of the transaction, which its rows and audit entries carry, at the precision the chain hashes; taken
    /// again when the head is locked, so that the times of the chain's entries follow their sequence on one clock.
    /// </summary>
    public DateTimeOffset Now { get; private set; }

    public ColumnSeal Seal { get; }

    /// <summary>The sequence the next audit entry will get.</summary>
    public long NextSequence => _sequence + 1;

    /// <summary>Opens a transaction on a pooled connection and waits for the chain's head.</summary>
    public static async Task<ChangeTransaction> BeginAsync(NpgsqlDataSource dataSource, ColumnSeal seal, TimeProvider time, CancellationToken cancellationToken)
    {
        var transaction = await BeginWithoutHeadAsync(dataSource, seal, time, cancellationToken);
        try
        {
            await transaction.LockHeadAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a transaction on a pooled connection without the chain's head, for the delivery queue, whose claims and
    /// releases append nothing and guard their rows by row locks of their own: they need not wait for the writers that do.
    /// </summary>
    public static async Task<ChangeTransaction> BeginWithoutHeadAsync(NpgsqlDataSource dataSource, ColumnSeal seal, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new ChangeTransaction(connection, transaction, seal, time);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the chain's head, unless this transaction holds it already.</summary>
    public async Task LockHeadAsync(CancellationToken cancellationToken)
    {
        if (_headLocked)
        {
            return;
        }

        await using (var head = Command("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (_headSequence, _hash) = (reader.GetInt64(0), (byte[])reader[1]);
        }

        _sequence = _headSequence;
        _headLocked = true;
        Now = Truncated(_time);
    }

    public NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> ExistsAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Appends an audit entry chained to the last one and returns its sequence; an entry about a stored message is filed
    /// under its row in <c>audit_by_message</c>, and a notice's under the message it is about too, as the SQLite store does.
    /// </summary>
    public async Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (!_headLocked)
        {
            throw new InvalidOperationException("An audit entry is appended only under the chain's head.");
        }

        var sequence = _sequence + 1;
        var record = AuditChain.Append(
            sequence, Now, entry.Kind, entry.Actor, entry.MessageId ?? string.Empty, Seal.AuditDetails(sequence, entry), _hash);
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        batch.BatchCommands.Add(Statement(
            "INSERT INTO audit (seq, at, kind, actor, message_id, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            record.Sequence, AuditChain.ToMicroseconds(record.At), record.Kind, record.Actor, record.MessageId, record.Detail, record.PreviousHash, record.Hash));
        if (entry.MessageId is { Length: > 0 } messageId)
        {
            batch.BatchCommands.Add(FileUnder(messageId, sequence));
        }

        if (entry.Kind == AuditKinds.NoticeIssued && entry.Details.About is { } about)
        {
            batch.BatchCommands.Add(FileUnder(about, sequence));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        (_sequence, _hash) = (record.Sequence, record.Hash);
        return sequence;
    }

    /// <summary>
    /// Marks where one change set of a batch begins (<see cref="GroupCommitWriter"/>), so that its failure can be undone
    /// without the others': the savepoint in the database, and the chain's end as this transaction has it.
    /// </summary>
    public async Task<Savepoint> SaveAsync(CancellationToken cancellationToken)
    {
        await _transaction.SaveAsync(SavepointName, cancellationToken);
        return new Savepoint(_sequence, _hash);
    }

    /// <summary>Undoes everything since <paramref name="savepoint"/>, the entries it appended to the chain included.</summary>
    public async Task RollbackAsync(Savepoint savepoint, CancellationToken cancellationToken)
    {
        await _transaction.RollbackAsync(SavepointName, cancellationToken);
        (_sequence, _hash) = (savepoint.Sequence, savepoint.Hash);
    }

    /// <summary>Keeps what was done since the last savepoint and forgets the savepoint.</summary>
    public Task ReleaseAsync(CancellationToken cancellationToken) => _transaction.ReleaseAsync(SavepointName, cancellationToken);

    /// <summary>Moves the head to the last entry appended, and commits.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_sequence != _headSequence)
        {
            await ExecuteAsync("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", cancellationToken, _sequence, _hash);
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Rolls back what was not committed and returns the connection to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static DateTimeOffset Truncated(TimeProvider time) => AuditChain.FromMicroseconds(AuditChain.ToMicroseconds(time.GetUtcNow()));

    private static NpgsqlBatchCommand FileUnder(string messageId, long auditSequence) =>
        Statement(
            "INSERT INTO audit_by_message (message_seq, audit_seq) SELECT seq, $2 FROM messages WHERE message_id = $1 ON CONFLICT DO NOTHING",
            messageId, auditSequence);

    private static NpgsqlBatchCommand Statement(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}

/// <summary>The chain's end when a change set of a batch began, restored should that change set be rolled back.</summary>
internal readonly record struct Savepoint(long Sequence, byte[] Hash);
