using System.Text;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Encryption;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;
using Npgsql;

namespace Gateway.Storage.Contract.Tests.Postgres;

/// <summary>
/// Re-encryption while other instances write and re-encrypt: a last error a dispatcher writes while a batch swaps it is
/// kept as the dispatcher wrote it, and runs on two instances at once reseal each value once between them.
/// </summary>
[RequiresPostgres]
public sealed class ConcurrentReencryptionTests : StoreContract
{
    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly DataKey K2 = DataKey.Generate("k2");
    private static readonly DataKeyRing Rotating = new([K1, K2], "k2");

    protected override DataKeyRing? Keys => new([K1], "k1");

    private string ConnectionString => ((PostgresStoreUnderTest)Store).ConnectionString;

    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);

    [StoreFact]
    public async Task A_last_error_a_dispatcher_replaces_while_the_batch_waits_for_its_row_is_kept_as_the_dispatcher_wrote_it()
    {
        var delivery = await DeliveryWithErrorAsync("endpoint said: Distinctname");
        Store.Keys = Rotating;
        await Store.ReopenAsync();
        var reencryption = (IReencryptionStore)Store.Intake;
        var deliveries = (await reencryption.ReencryptAsync(ReencryptionCursor.Start, 100, default)).Next;

        // The dispatcher's transaction: the next attempt's error, under the active key, not yet committed.
        await using var dispatcher = new NpgsqlConnection(ConnectionString);
        await dispatcher.OpenAsync();
        await using var attempt = await dispatcher.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE deliveries SET last_error = $1 WHERE delivery_id = $2", dispatcher, attempt))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = new ColumnSeal(Rotating).SealLastError(delivery.DeliveryId, "second attempt: Unavailable") });
            update.Parameters.Add(new NpgsqlParameter { Value = delivery.DeliveryId });
            await update.ExecuteNonQueryAsync();
        }

        var batch = reencryption.ReencryptAsync(deliveries, 100, default);
        await WaitForALockWaitAsync();
        await attempt.CommitAsync();

        Assert.Equal((1, 0), ((await batch).Scanned, (await batch).Resealed));
        Store.Keys = new DataKeyRing([K2], "k2");
        await Store.ReopenAsync();
        Assert.Equal("second attempt: Unavailable", Assert.Single(await Store.Intake.GetDeliveriesAsync(delivery.MessageId, default)).LastError);
    }

    [StoreFact]
    public async Task Two_instances_reencrypting_at_once_reseal_each_value_once_between_them()
    {
        var messages = Enumerable.Range(0, 20).Select(i => StoreSamples.Message(null, $"CASE-{i}") with { Payload = Encoding.UTF8.GetBytes($"payload {i}") }).ToArray();
        foreach (var message in messages)
        {
            await Store.Intake.AcceptAsync(message, default);
        }

        var delivery = await DeliveryWithErrorAsync("endpoint said: Distinctname");
        Store.Keys = Rotating;
        await Store.ReopenAsync();
        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(ConnectionString, Rotating);

        var resealed = await Task.WhenAll(RunAsync((IReencryptionStore)Store.Intake), RunAsync(second));

        Assert.Equal(22, resealed.Sum());
        Store.Keys = new DataKeyRing([K2], "k2");
        await Store.ReopenAsync();
        foreach (var message in messages)
        {
            Assert.Equal(message.Payload, (await Store.Intake.FindMessageAsync(message.MessageId, default))!.Payload);
        }

        Assert.Equal("endpoint said: Distinctname", Assert.Single(await Store.Intake.GetDeliveriesAsync(delivery.MessageId, default)).LastError);
    }

    private static async Task<int> RunAsync(IReencryptionStore store) => (await ReencryptionRun.ToEndAsync(store, batchSize: 3)).Resealed;

    /// <summary>A message of its own whose delivery failed once with <paramref name="error"/>, sealed under the store's key.</summary>
    private async Task<DeliveryRecord> DeliveryWithErrorAsync(string error)
    {
        var message = StoreSamples.Message(null, "CASE-ERROR");
        await Store.Intake.AcceptAsync(message, default);
        var queue = (IDeliveryQueue)Store.Intake;
        var claimed = await queue.ClaimDeliveriesAsync("w", TimeSpan.FromSeconds(30), 100, [], default);
        var delivery = claimed.Single(c => c.Delivery.MessageId == message.MessageId).Delivery;
        await queue.ApplyEachAsync(
            [new ChangeSet([], [new RecordDeliveryAttempt(delivery.DeliveryId, DeliveryState.RetryWait, DateTimeOffset.UtcNow.AddHours(1), error, Finished: false)], [])],
            default);
        return delivery;
    }

    /// <summary>Until a session of this database waits for a row lock: the batch's swap, blocked by the dispatcher's row.</summary>
    private async Task WaitForALockWaitAsync()
    {
        await using var observer = new NpgsqlConnection(ConnectionString);
        await observer.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", observer);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((long)(await waiting.ExecuteScalarAsync(timeout.Token))! == 0)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
