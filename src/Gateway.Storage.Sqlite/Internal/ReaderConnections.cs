using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>Pooled read connections to the store's file, which WAL mode lets read while the writer writes.</summary>
internal sealed class ReaderConnections(string path)
{
    public string ConnectionString { get; } =
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWrite }.ConnectionString;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
