using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Npgsql;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>
/// Group commit on PostgreSQL: concurrent acceptances share transactions, each under a savepoint of its own, so that one
/// that fails (a precondition, a constraint) leaves the others committed and only its own caller learns of it.
/// Transactions are counted by the store's <c>CommitCount</c> (its writer's commits), not by <c>pg_stat_database</c>,
/// whose counters other sessions' idle connections report late.
/// </summary>
[RequiresPostgres]
public sealed class GroupCommitTests
{
    [StoreFact]
    public async Task Concurrent_acceptances_with_duplicates_and_a_failing_precondition_commit_the_rest_in_fewer_transactions()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = await PostgresStoreUnderTest.OpenStoreAsync(PostgresStoreUnderTest.StoreConnectionString(database), null);
        var stored = StoreSamples.Message();
        Assert.True((await store.AcceptAsync(stored, default)).Applied);
        var commitsBefore = store.CommitCount;

        // 64 callers at once: 58 new messages, 2 of them sent twice (the second finds its id taken), 3 that insert the id
        // stored above without checking it (the unique index refuses them), and one waiting for a hold that is not open.
        var fresh = Enumerable.Range(0, 58).Select(_ => IntakeLifecycle.Accept(StoreSamples.Message(), null).Changes!).ToArray();
        var unguarded = IntakeLifecycle.Accept(stored, null).Changes! with { Preconditions = [] };
        var heldBack = IntakeLifecycle.Accept(StoreSamples.Message(), null).Changes!;
        heldBack = heldBack with { Preconditions = [.. heldBack.Preconditions, new HoldOpen(Guid.NewGuid().ToString())] };
        ChangeSet[] submitted = [.. fresh, fresh[7], fresh[41], unguarded, unguarded, unguarded, heldBack];
        Assert.Equal(64, submitted.Length);

        var calls = submitted.Select(changes => Task.Run(() => store.AcceptAsync(changes, default))).ToArray();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));

        // Each new message applied once; of the pairs, exactly one call each applied and the other found the id taken.
        Assert.All(calls[..60], c => Assert.True(c.IsCompletedSuccessfully));
        foreach (var (first, again) in new[] { (calls[7], calls[58]), (calls[41], calls[59]) })
        {
            Assert.Single(new[] { first.Result, again.Result }, o => o.Applied);
            Assert.IsType<MessageIdFree>(Assert.Single(new[] { first.Result, again.Result }, o => !o.Applied).Failed);
        }

        Assert.Equal(58, calls[..60].Count(c => c.Result.Applied));
        Assert.All(calls[60..63], c => Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(c.Exception!.InnerException).SqlState));
        Assert.IsType<HoldOpen>(calls[63].Result.Failed);
        Assert.Empty(calls[63].Result.AuditSequences);

        // The chain: the stored message's entry, then one per applied acceptance, contiguous and verified.
        var entries = await store.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 59).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.True(AuditVerifier.Verify(entries, await store.ReadAuditHeadAsync(default)).IsIntact);
        Assert.Equal(
            entries.Skip(1).Select(e => e.Sequence),
            calls[..60].Where(c => c.Result.Applied).SelectMany(c => c.Result.AuditSequences).Order());
        Assert.All(fresh, changes => Assert.Single(entries, e => e.MessageId == MessageId(changes)));
        Assert.Null(await store.FindMessageAsync(MessageId(heldBack), default));

        var commits = store.CommitCount - commitsBefore;
        Assert.InRange(commits, 1, 57);
    }

    [StoreFact]
    public async Task A_lost_connection_fails_its_batch_as_unavailable_and_the_writer_goes_on()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = await PostgresStoreUnderTest.OpenStoreAsync(PostgresStoreUnderTest.StoreConnectionString(database), null);
        Assert.True((await store.AcceptAsync(StoreSamples.Message(), default)).Applied);

        // The writer's batch waits for the head this session holds, and the server ends the writer's session meanwhile.
        await using var blocker = new NpgsqlConnection(database.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockHead = new NpgsqlCommand("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE", blocker, hold))
        {
            await lockHead.ExecuteScalarAsync();
        }

        var calls = Enumerable.Range(0, 8).Select(_ => store.AcceptAsync(StoreSamples.Message(), default)).ToArray();
        await WaitForWaitingWriterAsync(blocker, hold);
        await using (var killWriter = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
            blocker,
            hold))
        {
            await killWriter.ExecuteScalarAsync();
        }

        await hold.RollbackAsync();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));

        // The batch that lost its connection fails as unavailable, each of its callers; the writes queued behind it commit.
        Assert.Contains(calls, c => c.Exception?.InnerException is Core.Storage.StoreUnavailableException);
        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully ? c.Result.Applied : c.Exception!.InnerException is Core.Storage.StoreUnavailableException));
        Assert.True((await store.AcceptAsync(StoreSamples.Message(), default)).Applied);
        var entries = await store.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(2 + calls.Count(c => c.IsCompletedSuccessfully), entries.Count);
        Assert.True(AuditVerifier.Verify(entries, await store.ReadAuditHeadAsync(default)).IsIntact);
    }

    private static async Task WaitForWaitingWriterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
            connection,
            transaction);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((long)(await waiting.ExecuteScalarAsync(timeout.Token))! == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private static string MessageId(ChangeSet changes) => changes.Rows.OfType<InsertMessage>().Single().Message.MessageId;
}
