using System.Globalization;
using System.Text.RegularExpressions;
using EvolveDb;
using EvolveDb.Dialect;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Brings a store file to the schema of this gateway with the SQL scripts under <c>Migrations/</c> (embedded; named
/// <c>V&lt;version&gt;__&lt;what&gt;.sql</c>, the version being the store's schema version, which each script writes as
/// <c>PRAGMA user_version</c>), applied by Evolve and recorded in its <c>changelog</c> table. A new file gets every
/// script; a file of schema version 3 written before the changelog gets the baseline (<c>V3__baseline.sql</c>, all
/// idempotent, so it only completes and records such a file) and then the rest; a file of a newer version than the
/// newest script is refused, and so is one older than version 3, which no gateway with migrations wrote.
/// </summary>
/// <remarks>
/// Evolve 3.2.0 locks against a concurrent migrator only where the database offers a lock: on PostgreSQL a session
/// advisory lock (<c>pg_try_advisory_lock(12345)</c>, tried again every 3 s until it is had); on SQLite its application
/// lock and its changelog lock both return true at once (<c>SQLiteDatabase.TryAcquireApplicationLock</c>,
/// <c>SQLiteMetadataTable.InternalTryLock</c>; read in its source and seen in the 3.2.0 assembly). So here the migration
/// runs under a lock of SQLite's own: an exclusive transaction on <c>&lt;file&gt;.migrate-lock</c>, a small database
/// beside the store, which a second migrator waits for in SQLite's busy handler, to find the file migrated when it gets
/// it. The kernel drops the lock with a process that dies.
/// </remarks>
internal static partial class SchemaMigrator
{
    /// <summary>The version before the changelog, the oldest a store is upgraded from.</summary>
    public const int Baseline = 3;

    private const string Scripts = "Gateway.Storage.Sqlite.Migrations";
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    /// <summary>The newest schema version this gateway knows: that of its newest script.</summary>
    public static int Latest { get; } = typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
        .Select(name => ScriptName().Match(name))
        .Where(match => match.Success)
        .Max(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>Migrates the file at <paramref name="path"/>; returns the schema version it had (0 for a new file).</summary>
    /// <exception cref="StoreSchemaException">The file's version is newer than <see cref="Latest"/> or older than <see cref="Baseline"/>, or a script failed.</exception>
    public static int Migrate(string path, ILogger logger)
    {
        using var migrateLock = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path + ".migrate-lock", Pooling = false }.ConnectionString);
        migrateLock.Open();
        Execute(migrateLock, $"PRAGMA busy_timeout = {(int)LockWait.TotalMilliseconds}; BEGIN EXCLUSIVE;");
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
            if (version > Latest)
            {
                throw new StoreSchemaException(
                    $"The store {path} has schema version {version}, written by a newer gateway; this gateway reads up to version {Latest}. Run the newer gateway on it, or move the file away to start a new store.");
            }

            if (version is > 0 and < Baseline)
            {
                throw new StoreSchemaException(
                    $"The store {path} has schema version {version}, older than version {Baseline}, the oldest this gateway upgrades. Move the file away to start a new store.");
            }

            if (!HasTable(connection, "changelog"))
            {
                AddVersion3Columns(connection);
            }

            var evolve = new Evolve(connection, message => StoreLog.Migration(logger, message), DBMS.SQLite)
            {
                EmbeddedResourceAssemblies = [typeof(SchemaMigrator).Assembly],
                EmbeddedResourceFilters = [Scripts],
                IsEraseDisabled = true,
            };
            try
            {
                evolve.Migrate();
            }
            catch (EvolveException failed)
            {
                // Evolve runs each script in a transaction of its own: the store stays at the last version that applied.
                throw new StoreSchemaException(
                    $"The store {path} could not be migrated from schema version {version} to {Latest}: {failed.Message.TrimEnd('.')}. "
                    + "It was left at the last version that applied; restore the copy taken before the upgrade, or run the gateway it came from.",
                    failed);
            }

            if (evolve.NbMigration > 0)
            {
                StoreLog.Migrated(logger, path, version, Latest, evolve.NbMigration);
            }

            return version;
        }
        finally
        {
            Execute(migrateLock, "ROLLBACK;");
        }
    }

    /// <summary>
    /// A version-3 file of before 3 December 2026 may lack <c>messages.case_owner</c> and <c>messages.trace_parent</c>,
    /// which the gateway then added at open. The baseline fills the owners in; the messages stored before keep no trace
    /// context, and their delivery attempts start traces of their own, as they did.
    /// </summary>
    private static void AddVersion3Columns(SqliteConnection connection)
    {
        if (!HasTable(connection, "messages"))
        {
            return;
        }

        foreach (var column in (string[])["case_owner", "trace_parent"])
        {
            if (Scalar(connection, $"SELECT 1 FROM pragma_table_info('messages') WHERE name = '{column}'") is null)
            {
                Execute(connection, $"ALTER TABLE messages ADD COLUMN {column} TEXT");
            }
        }
    }

    private static bool HasTable(SqliteConnection connection, string table) =>
        Scalar(connection, $"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{table}'") is not null;

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [GeneratedRegex(@"^Gateway\.Storage\.Sqlite\.Migrations\.V(\d+)__\w+\.sql$")]
    private static partial Regex ScriptName();
}
