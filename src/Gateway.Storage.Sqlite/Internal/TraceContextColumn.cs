using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Brings a store written before messages kept their trace context up to date at open: adds <c>messages.trace_parent</c>.
/// The messages stored before have none, and their delivery attempts start traces of their own, as they did.
/// </summary>
internal static class TraceContextColumn
{
    public static void Upgrade(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM pragma_table_info('messages') WHERE name = 'trace_parent'";
        if (command.ExecuteScalar() is not null)
        {
            return;
        }

        command.CommandText = "ALTER TABLE messages ADD COLUMN trace_parent TEXT";
        command.ExecuteNonQuery();
    }
}
