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
    // One name for all: a rollback goes to the latest savepoint of the name, which is the change set's own.
    private const string SavepointName = "change_set";
    private const string RoundSavepointName = "round_trip";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly TimeProvider _time;
    private readonly List<NpgsqlBatchCommand> _queued = [];
    private bool _headLocked;
    private bool _savepointDue;
    private bool _savepointSent;
    private long _headSequence;
    private long _headQueued;
    private long _headQueuedAtRound;
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
        _headQueued = _headSequence;
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

    /// <summary>
    /// Queues a statement that returns nothing the caller reads; it is sent with the others queued, in one round trip, by
    /// the next <see cref="FlushAsync"/> or <see cref="FirstMissingAsync"/>, and fails there should it fail.
    /// </summary>
    public void Queue(string sql, params object?[] parameters) => Queue(Statement(sql, parameters));

    /// <inheritdoc cref="Queue(string, object?[])"/>
    public void Queue(NpgsqlBatchCommand statement) => _queued.Add(statement);

    /// <summary>Sends the statements queued, if any, in one round trip.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await using var batch = TakeQueued();
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="queries"/> in one round trip, after the statements queued, and returns the index of the first
    /// that found no row, or -1 when each found one. Every query runs, even after one found nothing.
    /// </summary>
    public async Task<int> FirstMissingAsync(IReadOnlyList<NpgsqlBatchCommand> queries, CancellationToken cancellationToken)
    {
        await using var batch = TakeQueued();
        foreach (var query in queries)
        {
            batch.BatchCommands.Add(query);
        }

        // The reader skips the statements that return no rows (the savepoint, the statements queued): its first result is the first query's.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var missing = -1;
        for (var i = 0; i < queries.Count; i++)
        {
            if (!await reader.ReadAsync(cancellationToken) && missing < 0)
            {
                missing = i;
            }

            await reader.NextResultAsync(cancellationToken);
        }

        return missing;
    }

    /// <summary>
    /// Queues an audit entry chained to the last one and returns its sequence; an entry about a stored message is filed
    /// under its row in <c>audit_by_message</c>, and a notice's under the message it is about too, as the SQLite store does.
    /// </summary>
    public long AppendAudit(AuditEntry entry)
    {
        if (!_headLocked)
        {
            throw new InvalidOperationException("An audit entry is appended only under the chain's head.");
        }

        var sequence = _sequence + 1;
        var record = AuditChain.Append(
            sequence, Now, entry.Kind, entry.Actor, entry.MessageId ?? string.Empty, Seal.AuditDetails(sequence, entry), _hash);
        Queue(
            "INSERT INTO audit (seq, at, kind, actor, message_id, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            record.Sequence, AuditChain.ToMicroseconds(record.At), record.Kind, record.Actor, record.MessageId, record.Detail, record.PreviousHash, record.Hash);
        if (entry.MessageId is { Length: > 0 } messageId)
        {
            FileUnder(messageId, sequence);
        }

        if (entry.Kind == AuditKinds.NoticeIssued && entry.Details.About is { } about)
        {
            FileUnder(about, sequence);
        }

        (_sequence, _hash) = (record.Sequence, record.Hash);
        return sequence;
    }

    /// <summary>
    /// Whether the change sets applied send nothing themselves and check their preconditions by statements that fail
    /// (<see cref="ChangeSetApplier"/>), so that <see cref="GroupCommitWriter"/> sends a whole batch of them at once.
    /// </summary>
    public bool Pipelined { get; set; }

    /// <summary>
    /// Marks where one change set begins (<see cref="GroupCommitWriter"/>), so that its failure can be undone without the
    /// others': the chain's end as this transaction has it and the statements queued before it. Applied alone, the
    /// change set also gets a savepoint in the database, sent ahead of its first statement in the same round trip, and
    /// never released (a release would cost a round trip of its own, and the next change set's savepoint of the same name
    /// hides it: PostgreSQL rolls back to the latest). <see cref="Pipelined"/>, it gets none: a failure in the round trip
    /// undoes the whole round (<see cref="RollbackRoundAsync"/>), so a savepoint per change set would only cost the
    /// server a statement and a subtransaction each (in the profile of a batch of 64, a third of its statements).
    /// </summary>
    public Savepoint Save()
    {
        var savepoint = new Savepoint(_sequence, _hash, _queued.Count);
        (_savepointDue, _savepointSent) = (!Pipelined, false);
        return savepoint;
    }

    /// <summary>
    /// Marks where a batch's round trip begins (<see cref="Pipelined"/>), under a savepoint of its own name, so that the
    /// whole round trip can be undone when one of its change sets failed.
    /// </summary>
    public Savepoint SaveRound()
    {
        var savepoint = new Savepoint(_sequence, _hash, _queued.Count);
        _headQueuedAtRound = _headQueued;
        _queued.Add(new NpgsqlBatchCommand($"SAVEPOINT {RoundSavepointName}"));
        return savepoint;
    }

    /// <summary>Undoes the round trip that began at <paramref name="round"/>, the entries it appended to the chain included.</summary>
    public async Task RollbackRoundAsync(Savepoint round, CancellationToken cancellationToken)
    {
        _queued.Clear();
        _savepointDue = false;
        await _transaction.RollbackAsync(RoundSavepointName, cancellationToken);
        (_sequence, _hash) = (round.Sequence, round.Hash);
        _headQueued = _headQueuedAtRound;
    }

    /// <summary>Forgets what was queued since <paramref name="savepoint"/>, sent nothing, and the entries it appended to the chain.</summary>
    public void Discard(Savepoint savepoint)
    {
        _queued.RemoveRange(savepoint.Queued, _queued.Count - savepoint.Queued);
        _savepointDue = false;
        (_sequence, _hash) = (savepoint.Sequence, savepoint.Hash);
    }

    /// <summary>
    /// Undoes everything since the latest savepoint in the database, which is <paramref name="savepoint"/> when its change
    /// set failed, and the entries appended to the chain since. When no statement was sent since, there is nothing in the
    /// database to undo.
    /// </summary>
    public async Task RollbackAsync(Savepoint savepoint, CancellationToken cancellationToken)
    {
        _queued.Clear();
        _savepointDue = false;
        if (_savepointSent)
        {
            await _transaction.RollbackAsync(SavepointName, cancellationToken);
        }

        (_sequence, _hash) = (savepoint.Sequence, savepoint.Hash);
    }

    /// <summary>
    /// Queues the move of the head to the last entry appended, unless it is there already, so that it goes with the
    /// statements before it (<see cref="GroupCommitWriter"/> sends it in the batch's round trip): every round trip after
    /// the head's lock is time in which every other instance's writer waits for it.
    /// </summary>
    public void QueueHeadMove()
    {
        if (_sequence != _headQueued)
        {
            Queue("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", _sequence, _hash);
            _headQueued = _sequence;
        }
    }

    /// <summary>Moves the head to the last entry appended, if that was not sent yet, and commits.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        QueueHeadMove();
        await FlushAsync(cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Rolls back what was not committed and returns the connection to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>A batch of the statements queued, led by the change set's savepoint when it is not taken yet.</summary>
    private NpgsqlBatch TakeQueued()
    {
        var batch = new NpgsqlBatch(_connection, _transaction);
        if (_savepointDue)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT {SavepointName}"));
            (_savepointDue, _savepointSent) = (false, true);
        }

        foreach (var statement in _queued)
        {
            batch.BatchCommands.Add(statement);
        }

        _queued.Clear();
        return batch;
    }

    private static DateTimeOffset Truncated(TimeProvider time) => AuditChain.FromMicroseconds(AuditChain.ToMicroseconds(time.GetUtcNow()));

    private void FileUnder(string messageId, long auditSequence) =>
        Queue(
            "INSERT INTO audit_by_message (message_seq, audit_seq) SELECT seq, $2 FROM messages WHERE message_id = $1 ON CONFLICT DO NOTHING",
            messageId, auditSequence);

    public static NpgsqlBatchCommand Statement(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}

/// <summary>
/// The chain's end when a change set of a batch began, restored should that change set be rolled back, and how many
/// statements were queued before it.
/// </summary>
internal readonly record struct Savepoint(long Sequence, byte[] Hash, int Queued);
