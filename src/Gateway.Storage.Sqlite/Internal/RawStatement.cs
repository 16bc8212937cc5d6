using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// A statement prepared once on the writer's connection and run through SQLite's own API, for the inserts every
/// message makes. Through <see cref="SqliteCommand"/> each run also builds a data reader, re-binds by parameter name
/// and walks the command's statement list: about a third of the writer's time per message, for nothing it needs.
/// Parameters are positional (<c>?1</c>, <c>?2</c>, ...). It runs inside whatever transaction the connection has open.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _));
    }

    public RawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public RawStatement Bind(int index, long? value) => value is { } number ? Bind(index, number) : BindNull(index);

    public RawStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    public RawStatement Bind(int index, byte[] value)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Binds a value whose storage type varies by row (a column that is TEXT in clear and a BLOB when sealed).</summary>
    public RawStatement Bind(int index, object? value) => value switch
    {
        null => BindNull(index),
        string text => Bind(index, text),
        byte[] bytes => Bind(index, bytes),
        _ => throw new ArgumentException($"Cannot bind a {value.GetType().Name}.", nameof(value)),
    };

    public RawStatement BindNull(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>
    /// Runs an <c>INSERT</c> that inserts one row or, on a conflict it is told to ignore, none; returns the new row's
    /// rowid, or null if it inserted nothing. Cheaper than <c>RETURNING</c>, which SQLite answers through a temporary
    /// table of its own.
    /// </summary>
    public long? ExecuteInsert() => ExecuteChanges() == 1 ? raw.sqlite3_last_insert_rowid(_db) : null;

    /// <summary>Runs a statement that changes rows (<c>INSERT</c>, <c>UPDATE</c>, <c>DELETE</c>) and returns how many it changed.</summary>
    public int ExecuteChanges()
    {
        try
        {
            Check(raw.sqlite3_step(_statement));
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs a statement whose outcome the caller does not need (an insert that must succeed).</summary>
    public void Execute() => ExecuteChanges();

    /// <summary>
    /// Runs the statement; if it returns a row, <paramref name="read"/> reads that row's columns (through
    /// <see cref="Int64"/> and <see cref="Text"/>) and its result is returned. The statement is reset afterwards.
    /// </summary>
    public bool TryExecuteRow<T>(Func<RawStatement, T> read, out T? row)
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            row = default;
            var found = false;
            while (rc == raw.SQLITE_ROW)
            {
                if (!found)
                {
                    row = read(this);
                    found = true;
                }

                rc = raw.sqlite3_step(_statement);
            }

            Check(rc);
            return found;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>A column of the row being read in <see cref="TryExecuteRow{T}"/>.</summary>
    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>A column of the row being read in <see cref="TryExecuteRow{T}"/>.</summary>
    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
