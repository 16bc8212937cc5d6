using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared.Postgres;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>
/// Periodic work about the whole store runs on one instance at a time: while one instance runs it, another's attempt
/// returns without running it; once it finished, or its instance died, the next attempt runs it.
/// </summary>
[RequiresPostgres]
public sealed class ExclusiveWorkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [StoreFact]
    public async Task While_one_instance_runs_the_work_another_skips_it_and_runs_it_once_it_is_done()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var connectionString = PostgresStoreUnderTest.StoreConnectionString(database);
        await using var first = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        var secondRuns = 0;

        var (running, finish) = await StartHeldAsync(first, "scan");
        var skipped = await second.RunAloneAsync("scan", _ => { secondRuns++; return Task.CompletedTask; }, default);
        var otherWork = await second.RunAloneAsync("another-scan", _ => Task.CompletedTask, default);
        finish.SetResult();
        Assert.True(await running.WaitAsync(Patience));
        var after = await second.RunAloneAsync("scan", _ => { secondRuns++; return Task.CompletedTask; }, default);

        Assert.False(skipped);
        Assert.True(otherWork);
        Assert.True(after);
        Assert.Equal(1, secondRuns);
    }

    [StoreFact]
    public async Task The_work_of_an_instance_whose_connection_died_is_given_up()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var connectionString = PostgresStoreUnderTest.StoreConnectionString(database);
        await using var first = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);
        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(connectionString, null);

        var (running, finish) = await StartHeldAsync(first, "scan");

        // The session holding the lock ends as it would when its instance is killed.
        await PostgresStoreUnderTest.QueryAsync(database, "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        var taken = await second.RunAloneAsync("scan", _ => Task.CompletedTask, default);
        finish.SetResult();
        await Record.ExceptionAsync(() => running.WaitAsync(Patience));

        Assert.True(taken);
    }

    /// <summary>Starts the work of <paramref name="name"/> on <paramref name="store"/>, holding it until the returned source is set.</summary>
    private static async Task<(Task<bool> Running, TaskCompletionSource Finish)> StartHeldAsync(Storage.Postgres.PostgresMessageStore store, string name)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = store.RunAloneAsync(name, async _ => { started.SetResult(); await finish.Task; }, default);
        await started.Task.WaitAsync(Patience);
        return (running, finish);
    }
}
