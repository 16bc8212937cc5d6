using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// Schema migrations: a store of the last schema before migrations (version 3, <c>Fixtures/store-v3.sqlite</c>, made as
/// Fixtures/README.md says) is upgraded with everything it held, a newer store is refused, and concurrent migrators of
/// one new file make its schema once.
/// </summary>
public sealed class MigrationTests : IDisposable
{
    private static readonly string[] Tables = ["messages", "deliveries", "audit", "audit_head", "holds", "awaited_replies", "case_parties", "audit_by_message"];

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-migrations-").FullName;

    private string FixturePath => Path.Combine(_folder, "gateway.db");

    [Fact]
    public async Task A_version_3_store_is_upgraded_with_every_message_delivery_and_audit_entry_intact_and_its_audit_verifies()
    {
        CopyFixture();
        var before = Tables.ToDictionary(table => table, table => Rows(FixturePath, table));
        Assert.False(HasChangelog(FixturePath));
        Assert.Equal([3, 5, 6, 7], Rows(FixturePath, "deliveries", "DISTINCT state").Select(int.Parse).Order());
        Assert.Contains(before["audit"], row => row.Contains("\"justification\":{\"sealed\":", StringComparison.Ordinal));

        var store = Open(FixturePath);
        var messageIds = Rows(FixturePath, "messages", "message_id");
        foreach (var id in messageIds)
        {
            Assert.Equal(id, (await store.FindMessageAsync(id, default))?.MessageId);
        }

        await store.DisposeAsync();

        foreach (var table in Tables)
        {
            Assert.Equal(before[table], Rows(FixturePath, table));
        }

        Assert.Equal(["3|1"], Rows(FixturePath, "changelog", "version, success", "WHERE type = 0"));
        await using var log = await SqliteAuditLog.OpenAsync(FixturePath, default);
        var verification = await AuditVerifier.VerifyAsync(log.ReadAsync(default), log.Head, default);
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(before["audit"].Count, verification.RecordsChecked);
    }

    [Fact]
    public async Task A_new_store_and_an_upgraded_version_3_store_have_the_same_schema()
    {
        CopyFixture();
        await Open(FixturePath).DisposeAsync();
        var fresh = Path.Combine(_folder, "fresh.db");
        await Open(fresh).DisposeAsync();

        Assert.Equal(SchemaOf(fresh), SchemaOf(FixturePath));
        Assert.Equal(["3"], Rows(fresh, "pragma_user_version", "user_version"));
        Assert.Equal(["3"], Rows(FixturePath, "pragma_user_version", "user_version"));
    }

    [Fact]
    public async Task A_store_of_a_newer_schema_version_is_refused_naming_both_versions()
    {
        var path = Path.Combine(_folder, "newer.db");
        await Open(path).DisposeAsync();
        SqliteMessageStoreTests.SetUserVersion(path, SchemaMigrator.Latest + 1);

        var error = Assert.Throws<StoreSchemaException>(() => Open(path));

        Assert.Contains(
            $"has schema version {SchemaMigrator.Latest + 1}, written by a newer gateway; this gateway reads up to version {SchemaMigrator.Latest}.",
            error.Message);
    }

    [Fact]
    public async Task Two_migrators_of_one_new_file_at_once_both_succeed_and_make_its_schema_once()
    {
        var path = Path.Combine(_folder, "shared.db");
        using var start = new Barrier(2);

        var versionsFound = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return SchemaMigrator.Migrate(path, NullLogger.Instance);
        })));

        // One made the schema (it found a new file); the other waited for it and found version 3.
        Assert.Equal([0, 3], versionsFound.Order());
        Assert.Equal(["3|1"], Rows(path, "changelog", "version, success", "WHERE type = 0"));
    }

    [Fact]
    public async Task A_migrator_waits_while_another_holds_the_migration_lock_then_migrates()
    {
        var path = Path.Combine(_folder, "locked.db");
        await using var holder = new SqliteConnection($"Data Source={path}.migrate-lock;Pooling=False");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
        }

        var migration = Task.Run(() => SchemaMigrator.Migrate(path, NullLogger.Instance));

        // Waiting cannot be awaited: what is shown is that nothing happens while the lock is held.
        Assert.NotSame(migration, await Task.WhenAny(migration, Task.Delay(TimeSpan.FromMilliseconds(500))));
        Assert.False(File.Exists(path) && HasChangelog(path));

        using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        Assert.Equal(0, await migration);
        Assert.Equal(["3|1"], Rows(path, "changelog", "version, success", "WHERE type = 0"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static SqliteMessageStore Open(string path)
    {
        var key = Path.Combine(AppContext.BaseDirectory, "Fixtures", "store-v3.sqlite.data-key");
        var keys = new DataKeyRing([DataKey.FromBase64("dev", File.ReadAllText(key))], "dev");
        return new SqliteMessageStore(Options.Create(new SqliteStoreOptions { Path = path }), TimeProvider.System, NullLogger<SqliteMessageStore>.Instance, keys: keys);
    }

    private void CopyFixture() => File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "store-v3.sqlite"), FixturePath);

    private static bool HasChangelog(string path) => Rows(path, "sqlite_master", "name", "WHERE name = 'changelog'").Count > 0;

    /// <summary>Columns of each table and the text of each index and trigger; a column added later reads as one made with its table.</summary>
    private static List<string> SchemaOf(string path) =>
    [
        .. Rows(path, "sqlite_master m JOIN pragma_table_info(m.name) c", "m.name || '.' || c.name || ' ' || c.type || ' ' || c.\"notnull\" || ' ' || ifnull(c.dflt_value, '') || ' ' || c.pk", "WHERE m.type = 'table' ORDER BY m.name, c.cid"),
        .. Rows(path, "sqlite_master", "type || ' ' || name || ' ' || ifnull(sql, '')", "WHERE type IN ('index', 'trigger') ORDER BY name"),
    ];

    /// <summary>Every row of <paramref name="from"/>, each as its columns' values (blobs in hex), in the table's order.</summary>
    private static List<string> Rows(string path, string from, string columns = "*", string where = "")
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {columns} FROM {from} {where}";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                byte[] bytes => Convert.ToHexString(bytes),
                DBNull => "null",
                var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            })));
        }

        return rows;
    }
}
