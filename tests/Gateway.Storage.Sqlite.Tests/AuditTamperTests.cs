using Gateway.Core.Audit;
using Microsoft.Data.Sqlite;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// Someone with access to the database file edits the audit table directly (dropping the append-only
/// triggers first); the verifier must notice and name the position.
/// </summary>
public class AuditTamperTests
{
    private const int Position = 5;

    private static async Task<AuditVerification> TamperAndVerify(string sql)
    {
        await using var temp = new TempStore();
        for (var i = 0; i < 6; i++)
        {
            await temp.Store.AcceptAsync(TempStore.Message(), default);
        }

        Assert.True((await Verify(temp)).IsIntact);
        await temp.ReopenAsync(path =>
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete; " + sql;
            command.ExecuteNonQuery();
        });

        return await Verify(temp);
    }

    private static async Task<AuditVerification> Verify(TempStore temp) =>
        AuditVerifier.Verify(await temp.Store.ReadAuditAsync(default).ToListAsync(), await temp.Store.ReadAuditHeadAsync(default));

    [Fact]
    public async Task The_log_cannot_be_changed_through_SQL_while_the_triggers_stand()
    {
        await using var temp = new TempStore();
        await temp.Store.AcceptAsync(TempStore.Message(), default);
        await using var connection = new SqliteConnection($"Data Source={temp.Path};Pooling=False");
        connection.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM audit WHERE seq = 1";

        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Contains("append-only", error.Message);
    }

    [Fact]
    public async Task A_changed_entry_is_found()
    {
        var result = await TamperAndVerify($"UPDATE audit SET detail = 'kind=Referral case=CN-FJ-2026-0042 recipients=US/FBI state=Accepted deliveries=Pending' WHERE seq = {Position}");

        Assert.Equal(Position, result.BrokenAt);
    }

    [Fact]
    public async Task A_deleted_entry_is_found()
    {
        var result = await TamperAndVerify($"DELETE FROM audit WHERE seq = {Position}");

        Assert.Equal(Position, result.BrokenAt);
    }

    [Fact]
    public async Task An_inserted_entry_is_found()
    {
        var result = await TamperAndVerify($"""
            UPDATE audit SET seq = seq + 1000 WHERE seq >= {Position};
            UPDATE audit SET seq = seq - 999 WHERE seq >= 1000;
            INSERT INTO audit (seq, at, kind, actor, message_id, detail, prev_hash, hash)
                SELECT {Position}, at, 'delivery.delivered', 'gateway', message_id, 'recipient=CN/FJPSD', hash, randomblob(32)
                FROM audit WHERE seq = {Position - 1};
            """);

        Assert.Equal(Position, result.BrokenAt);
    }

    [Fact]
    public async Task Reordered_entries_are_found()
    {
        var result = await TamperAndVerify($"""
            UPDATE audit SET seq = -1 WHERE seq = {Position};
            UPDATE audit SET seq = {Position} WHERE seq = {Position + 1};
            UPDATE audit SET seq = {Position + 1} WHERE seq = -1;
            """);

        Assert.Equal(Position, result.BrokenAt);
    }

    [Fact]
    public async Task A_removed_last_entry_is_found()
    {
        var result = await TamperAndVerify("DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)");

        Assert.Equal(6, result.BrokenAt);
    }
}
