using System.Text;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Encryption;

/// <summary>
/// An operator's justification naming a person is sealed in the audit log: the file and its WAL never hold it, the store
/// reads it back with its key and shows a marker without it, the chain verifies with no key at all and breaks when the
/// sealed bytes are changed, and an entry written in version 1 (a clear justification) still reads and verifies.
/// </summary>
public sealed class SealedAuditTests
{
    private const string Name = "IVANOV Pyotr Distinctovich";
    private const string Passport = "4512 778899";
    private const string Reason = $"victim {Name}'s passport {Passport}: checking the referral";

    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly DataKey K2 = DataKey.Generate("k2");

    [Fact]
    public async Task A_justification_naming_a_person_is_in_neither_the_file_nor_its_wal_and_reads_back_with_the_key()
    {
        await using var temp = new TempStore(keys: new DataKeyRing([K1], "k1"));
        var sequence = await temp.Store.AppendAsync([Consulted(Reason)], default);

        Assert.True(new FileInfo(temp.Path + "-wal").Length > 0);
        Assert.Empty(FoundInFiles(temp.Path, Name, Passport));
        Assert.Equal(Reason, Entry(await temp.Store.ReadAuditAsync(default).ToListAsync(), sequence).Details.Justification!.Text);

        await temp.ReopenAsync();
        Assert.Empty(FoundInFiles(temp.Path, Name, Passport));
        Assert.Equal(Reason, Entry(await temp.Store.ReadAuditAsync(default).ToListAsync(), sequence).Details.Justification!.Text);
    }

    [Fact]
    public async Task Without_the_key_the_justification_reads_as_a_marker_naming_it_and_the_chain_verifies_with_no_key()
    {
        await using var temp = new TempStore(keys: new DataKeyRing([K1], "k1"));
        var sequence = await temp.Store.AppendAsync([Consulted(Reason)], default);

        temp.Keys = new DataKeyRing([DataKey.Generate("k2")], "k2");
        await temp.ReopenAsync();

        var read = Entry(await temp.Store.ReadAuditAsync(default).ToListAsync(), sequence);
        Assert.Equal(("(sealed under key k1, not configured)", (string?)null), (read.Details.Justification!.Shown, read.Details.Justification.Text));
        Assert.True((await VerifyFileAsync(temp.Path)).IsIntact);
    }

    [Fact]
    public async Task Re_encryption_leaves_the_audit_alone_so_a_trace_without_the_old_key_shows_the_marker_and_still_reads()
    {
        await using var temp = new TempStore(keys: new DataKeyRing([K1], "k1"));
        var message = StoreSamples.Message();
        await temp.Store.AcceptAsync(message, default);
        var consulted = await temp.Store.AppendAsync([AuditEntries.Consulted("operator:duty", message.MessageId, "GetMessageContent", Reason)], default);
        temp.Keys = new DataKeyRing([K1, K2], "k2");
        await temp.ReopenAsync();
        var detailBefore = Entry(await temp.Store.ReadAuditAsync(default).ToListAsync(), consulted).Detail;

        var position = ReencryptionCursor.Start;
        ReencryptionBatch batch;
        do
        {
            batch = await temp.Store.ReencryptAsync(position, batchSize: 10, default);
            position = batch.Next;
        }
        while (!batch.Done);
        temp.Keys = new DataKeyRing([K2], "k2");
        await temp.ReopenAsync();

        Assert.Equal(detailBefore, Entry(await temp.Store.ReadAuditAsync(default).ToListAsync(), consulted).Detail);
        Assert.True((await VerifyFileAsync(temp.Path)).IsIntact);
        var withoutOldKey = await temp.Store.GetMessageTraceAsync(message.MessageId, default);
        Assert.Equal(message.Payload, withoutOldKey!.Message!.Message.Payload);
        Assert.Equal("(sealed under key k1, not configured)", Entry(withoutOldKey.Events, consulted).Details.Justification!.Shown);

        temp.Keys = new DataKeyRing([K1, K2], "k2");
        await temp.ReopenAsync();
        var withOldKey = await temp.Store.GetMessageTraceAsync(message.MessageId, default);
        Assert.Equal(Reason, Entry(withOldKey!.Events, consulted).Details.Justification!.Shown);
    }

    [Fact]
    public async Task Changing_the_sealed_bytes_of_a_justification_breaks_the_chain()
    {
        await using var temp = new TempStore(keys: new DataKeyRing([K1], "k1"));
        var sequence = await temp.Store.AppendAsync([Consulted(Reason), Consulted("second look")], default) - 1;
        Assert.True((await VerifyFileAsync(temp.Path)).IsIntact);

        await temp.ReopenAsync(path =>
        {
            var detail = (string)Query(path, $"SELECT detail FROM audit WHERE seq = {sequence}")!;
            var at = detail.IndexOf("\"sealed\":\"", StringComparison.Ordinal) + 30;
            var changed = string.Concat(detail.AsSpan(0, at), detail[at] == 'A' ? "B" : "A", detail.AsSpan(at + 1));
            Execute(path, "DROP TRIGGER audit_append_only_update", $"UPDATE audit SET detail = '{changed}' WHERE seq = {sequence}");
        });

        var result = await VerifyFileAsync(temp.Path);
        Assert.Equal((sequence, "entry's content does not match its hash"), (result.BrokenAt, result.Problem));
        var read = Entry(await temp.Store.ReadAuditAsync(default).ToListAsync(), sequence);
        Assert.Equal("(sealed under key k1, does not authenticate)", read.Details.Justification!.Shown);
    }

    [Fact]
    public async Task An_entry_of_version_one_with_a_clear_justification_still_reads_and_verifies_among_sealed_ones()
    {
        await using var temp = new TempStore();
        var before = await temp.Store.AppendAsync([Consulted("first look")], default);
        const string VersionOne = """{"v":1,"via":"GetMessageContent","justification":"Bangkok endpoint repaired"}""";
        await temp.ReopenAsync(path => AppendRaw(path, VersionOne));
        temp.Keys = new DataKeyRing([K1], "k1");
        await temp.ReopenAsync();
        var after = await temp.Store.AppendAsync([Consulted(Reason)], default);

        var log = await temp.Store.ReadAuditAsync(default).ToListAsync();
        var old = Entry(log, before + 1);
        Assert.Equal((VersionOne, 1, "Bangkok endpoint repaired"), (old.Detail, old.Details.V, old.Details.Justification!.Text));
        Assert.Equal("first look", Entry(log, before).Details.Justification!.Text);
        Assert.Equal((2, Reason), (Entry(log, after).Details.V, Entry(log, after).Details.Justification!.Text));
        Assert.DoesNotContain(Name, Entry(log, after).Detail, StringComparison.Ordinal);
        Assert.True((await VerifyFileAsync(temp.Path)).IsIntact);
    }

    private static AuditEntry Consulted(string reason) => AuditEntries.Consulted("operator:duty", Guid.NewGuid().ToString(), "GetMessageContent", reason);

    private static AuditRecord Entry(IEnumerable<AuditRecord> log, long sequence) => Assert.Single(log, r => r.Sequence == sequence);

    /// <summary>What <c>gatewayctl verify-audit</c> does: the file read-only, without any data key.</summary>
    private static async Task<AuditVerification> VerifyFileAsync(string path)
    {
        await using var log = await SqliteAuditLog.OpenAsync(path, default);
        return await AuditVerifier.VerifyAsync(log.ReadAsync(default), log.Head, default);
    }

    /// <summary>The values found in the database file or its WAL, read as raw bytes (UTF-8) as someone who copied them would.</summary>
    private static List<string> FoundInFiles(string path, params string[] values)
    {
        var files = new[] { path, path + "-wal" }.Where(File.Exists).Select(ReadShared).ToArray();
        return [.. values.Where(value => files.Any(bytes => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) >= 0))];
    }

    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Appends an entry with <paramref name="detail"/> as stored, chained to the recorded head, as an older gateway wrote it.</summary>
    private static void AppendRaw(string path, string detail)
    {
        var head = Query(path, "SELECT seq FROM audit_head WHERE id = 1") is long seq ? seq : 0;
        var previous = (byte[])Query(path, "SELECT hash FROM audit_head WHERE id = 1")!;
        var record = AuditChain.Append(head + 1, DateTimeOffset.UnixEpoch.AddYears(56), AuditKinds.MessageConsulted, "operator:duty", string.Empty, detail, previous);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO audit (seq, at, kind, actor, message_id, detail, prev_hash, hash) VALUES ($seq, $at, $kind, $actor, '', $detail, $prev, $hash);
            UPDATE audit_head SET seq = $seq, hash = $hash WHERE id = 1;
            """;
        command.Parameters.AddWithValue("$seq", record.Sequence);
        command.Parameters.AddWithValue("$at", AuditChain.ToMicroseconds(record.At));
        command.Parameters.AddWithValue("$kind", record.Kind);
        command.Parameters.AddWithValue("$actor", record.Actor);
        command.Parameters.AddWithValue("$detail", record.Detail);
        command.Parameters.AddWithValue("$prev", record.PreviousHash);
        command.Parameters.AddWithValue("$hash", record.Hash);
        command.ExecuteNonQuery();
    }

    private static object? Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, params string[] statements)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
