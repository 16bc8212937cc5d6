using System.Diagnostics;
using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Storage.Sqlite;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Durability;

/// <summary>
/// <c>verify-audit</c> reads the log as a stream: a log far larger than the command's heap is verified within it.
/// Read into a list, 100,000 entries took about 150 MiB and the command ran out of a 64 MiB heap.
/// </summary>
public sealed class VerifyAuditMemoryTests : IAsyncLifetime
{
    private const int Entries = 100_000;

    // The runtime's own limit on the managed heap: past it the process fails with "Out of memory." instead of growing.
    private const string HeapLimit = "0x4000000";

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-verify-memory-").FullName;

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    public async Task InitializeAsync()
    {
        // The store creates the schema; the entries are appended directly, as the writer would, to make a long log fast.
        await new SqliteMessageStore(
            Options.Create(new SqliteStoreOptions { Path = DatabasePath }), TimeProvider.System, NullLogger<SqliteMessageStore>.Instance).DisposeAsync();
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO audit (seq, at, kind, actor, message_id, detail, prev_hash, hash) VALUES ($seq, $at, $kind, $actor, $id, $detail, $prev, $hash)";
        var parameters = new[] { "$seq", "$at", "$kind", "$actor", "$id", "$detail", "$prev", "$hash" }.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        var previous = AuditChain.Genesis;
        var at = DateTimeOffset.UtcNow;
        for (var sequence = 1L; sequence <= Entries; sequence++)
        {
            var record = AuditChain.Append(
                sequence, at, "message.accepted", "CN/PLO-RU", Guid.NewGuid().ToString(), "kind=Referral case=CN-FJ-2026-0042 recipients=CN/FJPSD state=Accepted deliveries=Pending", previous);
            object[] values = [record.Sequence, AuditChain.ToMicroseconds(record.At), record.Kind, record.Actor, record.MessageId, record.Detail, record.PreviousHash, record.Hash];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i];
            }

            await insert.ExecuteNonQueryAsync();
            previous = record.Hash;
        }

        await using var head = connection.CreateCommand();
        head.CommandText = "INSERT INTO audit_head (id, seq, hash) VALUES (1, $seq, $hash)";
        head.Parameters.AddWithValue("$seq", Entries);
        head.Parameters.AddWithValue("$hash", previous);
        await head.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Verifies_a_log_larger_than_its_heap()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ChildProcess.BuildOutputDll("Gateway"), "verify-audit", $"--Gateway:Storage:Sqlite:Path={DatabasePath}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_GCHeapHardLimit"] = HeapLimit },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(ChildProcess.StartTimeout);

        Assert.True(process.ExitCode == 0, await output + await errors);
        Assert.Contains($"audit log intact: {Entries} entries verified", await output);
    }
}
