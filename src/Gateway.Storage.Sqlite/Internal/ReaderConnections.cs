using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Read connections to the store's file, which WAL mode lets read while the writer writes: pooled by Microsoft.Data.Sqlite
/// (<see cref="OpenAsync"/>), or, for the queries run on every trace, kept here with their statements prepared
/// (<see cref="RentAsync"/>).
/// </summary>
internal sealed class ReaderConnections(string path) : IAsyncDisposable
{
    // Enough for the concurrent trace calls of a 2-core host; more are opened when asked for and closed when returned.
    private const int MaxIdleSessions = 8;

    private readonly ConcurrentQueue<ReadSession> _idle = new();
    private int _disposed;

    public string ConnectionString { get; } =
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWrite }.ConnectionString;

    private string SessionConnectionString { get; } =
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ConnectionString;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A connection of its own until disposed, whose commands keep their prepared statements between calls.</summary>
    /// <remarks>
    /// Microsoft.Data.Sqlite prepares a command's SQL again for every new command object, and a pooled connection comes
    /// back as a new object: preparing the trace's three statements took about half of the CPU time of a trace's
    /// queries (dotnet-trace, 10k store, 30,000 traces), more than running them.
    /// </remarks>
    public async Task<ReadSession> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryDequeue(out var session))
        {
            return session;
        }

        var connection = new SqliteConnection(SessionConnectionString);
        await connection.OpenAsync(cancellationToken);
        return new ReadSession(connection, this);
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, 1);
        while (_idle.TryDequeue(out var session))
        {
            await session.CloseAsync();
        }
    }

    private ValueTask ReturnAsync(ReadSession session)
    {
        if (Volatile.Read(ref _disposed) == 0 && _idle.Count < MaxIdleSessions)
        {
            _idle.Enqueue(session);

            // Closed here if the store was disposed between the check and the enqueue.
            if (Volatile.Read(ref _disposed) == 0 || !_idle.TryDequeue(out var late))
            {
                return ValueTask.CompletedTask;
            }

            return late.CloseAsync();
        }

        return session.CloseAsync();
    }

    /// <summary>One rented read connection and its prepared commands, by SQL text. One caller at a time.</summary>
    internal sealed class ReadSession(SqliteConnection connection, ReaderConnections owner) : IAsyncDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteConnection Connection => connection;

        /// <summary>The command for <paramref name="sql"/>, without parameters, in <paramref name="transaction"/>; not to be disposed by the caller.</summary>
        public SqliteCommand Command(string sql, SqliteTransaction transaction)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands.Add(sql, command);
            }

            command.Parameters.Clear();
            command.Transaction = transaction;
            return command;
        }

        /// <summary>Back to the owner for the next caller.</summary>
        public ValueTask DisposeAsync() => owner.ReturnAsync(this);

        internal async ValueTask CloseAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync();
            }

            await connection.DisposeAsync();
        }
    }
}
