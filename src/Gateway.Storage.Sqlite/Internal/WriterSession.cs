using Gateway.Core.Audit;
using Microsoft.Data.Sqlite;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The writer's connection, its prepared statements and the head of the audit chain. Only the writer
/// thread touches it. The chain head advances tentatively within a batch and is kept only on commit.
/// </summary>
internal sealed class WriterSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawStatement> _statements = new(StringComparer.Ordinal);
    private readonly RawStatement _appendAudit;
    private readonly SqliteCommand _updateHead;
    private readonly RawStatement _fileUnderRow;
    private readonly RawStatement _fileUnderId;
    private long _committedSequence;
    private byte[] _committedHash;
    private long _sequence;
    private byte[] _hash;

    public WriterSession(SqliteConnection connection, TimeProvider time, ColumnSeal seal)
    {
        _connection = connection;
        Time = time;
        Seal = seal;
        _appendAudit = Statement(
            "INSERT INTO audit (seq, at, kind, actor, message_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        _fileUnderRow = Statement("INSERT OR IGNORE INTO audit_by_message (message_seq, audit_seq) VALUES (?1, ?2)");
        _fileUnderId = Statement("INSERT OR IGNORE INTO audit_by_message (message_seq, audit_seq) SELECT seq, ?2 FROM messages WHERE message_id = ?1");
        _updateHead = Command(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, $seq, $hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            "$seq", "$hash");

        // The recorded head, not the table's last row, is where the chain continues: should the tail have been cut
        // off, continuing from the head keeps that break visible to the verifier instead of papering over it.
        using var head = connection.CreateCommand();
        head.CommandText = "SELECT seq, hash FROM audit_head WHERE id = 1";
        using var reader = head.ExecuteReader();
        (_committedSequence, _committedHash) = reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (0L, AuditChain.Genesis);
        (_sequence, _hash) = (_committedSequence, _committedHash);
    }

    public TimeProvider Time { get; }

    /// <summary>Seals the columns that hold personal data as they are written.</summary>
    public ColumnSeal Seal { get; }

    /// <summary>The time of the batch being written; every entry of one batch carries it.</summary>
    public DateTimeOffset Now { get; private set; }

    public SqliteTransaction? Transaction { get; private set; }

    /// <summary>The sequence the next audit entry will get.</summary>
    public long NextSequence => _sequence + 1;

    public void Begin()
    {
        Now = AuditChain.FromMicroseconds(AuditChain.ToMicroseconds(Time.GetUtcNow()));
        Transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in _commands.Values)
        {
            command.Transaction = Transaction;
        }
    }

    public void Commit()
    {
        if (_sequence != _committedSequence)
        {
            _updateHead.Parameters["$seq"].Value = _sequence;
            _updateHead.Parameters["$hash"].Value = _hash;
            _updateHead.ExecuteNonQuery();
        }

        Transaction!.Commit();
        Transaction.Dispose();
        Transaction = null;
        (_committedSequence, _committedHash) = (_sequence, _hash);
    }

    public void Rollback()
    {
        try
        {
            Transaction?.Rollback();
        }
        finally
        {
            Transaction?.Dispose();
            Transaction = null;
            (_sequence, _hash) = (_committedSequence, _committedHash);
        }
    }

    /// <summary>The highest delivery id in the store, this batch's included.</summary>
    public long LastDeliveryId() =>
        Command("SELECT coalesce(max(delivery_id), 0) FROM deliveries").ExecuteScalar() is long id ? id : 0;

    /// <summary>
    /// Appends an audit entry chained to the last one and returns its sequence. An entry about a stored message is filed
    /// under its row in <c>audit_by_message</c>, and a notice's entry under the message it is about as well.
    /// </summary>
    /// <param name="inserted">The message the entry's change set inserted, whose row is known without a lookup.</param>
    public long AppendAudit(AuditEntry entry, (string MessageId, long Seq)? inserted = null)
    {
        var sequence = _sequence + 1;
        var record = AuditChain.Append(
            sequence, Now, entry.Kind, entry.Actor, entry.MessageId ?? string.Empty, Seal.AuditDetails(sequence, entry), _hash);
        _appendAudit
            .Bind(1, record.Sequence)
            .Bind(2, AuditChain.ToMicroseconds(record.At))
            .Bind(3, record.Kind)
            .Bind(4, record.Actor)
            .Bind(5, record.MessageId)
            .Bind(6, record.Detail)
            .Bind(7, record.PreviousHash)
            .Bind(8, record.Hash)
            .Execute();
        (_sequence, _hash) = (record.Sequence, record.Hash);
        if (entry.MessageId is { Length: > 0 } messageId)
        {
            FileUnder(messageId, record.Sequence, inserted);
        }

        if (entry.Kind == AuditKinds.NoticeIssued && entry.Details.About is { } about)
        {
            FileUnder(about, record.Sequence, inserted);
        }

        return record.Sequence;
    }

    private void FileUnder(string messageId, long auditSequence, (string MessageId, long Seq)? inserted)
    {
        if (inserted is { } known && known.MessageId == messageId)
        {
            _fileUnderRow.Bind(1, known.Seq).Bind(2, auditSequence).Execute();
        }
        else
        {
            _fileUnderId.Bind(1, messageId).Bind(2, auditSequence).Execute();
        }
    }

    /// <summary>A prepared statement, created once and reused by every batch.</summary>
    public SqliteCommand Command(string sql, params string[] parameters)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Transaction = Transaction;
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>A statement for the inserts every message makes, prepared once and run without ADO.NET (see <see cref="RawStatement"/>).</summary>
    public RawStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(_connection, sql);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>A one-off statement in the batch's transaction, for SQL that varies with its input; the caller disposes it.</summary>
    public Microsoft.Data.Sqlite.SqliteCommand CreateAdHocCommand(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
