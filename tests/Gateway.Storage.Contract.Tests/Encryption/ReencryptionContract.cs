using System.Text;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Encryption;

/// <summary>
/// Re-encryption rewrites every payload and last error under the active key batch by batch, so that the old key can go;
/// a run again from the start rewrites nothing, the last batch ends at the last delivery, and a value under a key that is
/// not configured stops the run with the key's id. Ported from the SQLite store's SealedStoreTests.
/// </summary>
public abstract class ReencryptionContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly DataKey K2 = DataKey.Generate("k2");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("Subject: ZHAO Distinctname, passport E99887766");

    private IReencryptionStore Reencryption => (IReencryptionStore)Store.Intake;

    private IDeliveryQueue Queue => (IDeliveryQueue)Store.Intake;

    [StoreFact]
    public async Task After_reencryption_the_old_key_can_go_and_every_payload_and_last_error_reads_as_written()
    {
        var clear = StoreSamples.Message() with { Payload = Payload };
        await Store.Intake.AcceptAsync(clear, default);
        await ReopenWithAsync(new DataKeyRing([K1], "k1"));
        var underK1 = Enumerable.Range(0, 5).Select(i => StoreSamples.Message() with { Payload = [.. Payload, (byte)i] }).ToArray();
        foreach (var message in underK1)
        {
            await Store.Intake.AcceptAsync(message, default);
        }

        var delivery = Assert.Single(await Queue.ClaimDeliveriesAsync("w", Lease, 1, [], default)).Delivery;
        await Queue.ApplyEachAsync(
            [new ChangeSet([], [new RecordDeliveryAttempt(delivery.DeliveryId, DeliveryState.RetryWait, DateTimeOffset.UtcNow, "endpoint said: Distinctname", Finished: false)], [])],
            default);
        await ReopenWithAsync(new DataKeyRing([K1, K2], "k2"));
        var underK2 = StoreSamples.Message() with { Payload = Payload };
        await Store.Intake.AcceptAsync(underK2, default);

        var (resealed, batches) = await ReencryptionRun.ToEndAsync(Reencryption, batchSize: 2);
        await ReopenWithAsync(new DataKeyRing([K2], "k2"));

        // 1 clear + 5 under k1 payloads and 1 last error; the message under k2 stays as it was.
        Assert.Equal(7, resealed);
        Assert.True(batches >= 4);
        foreach (var message in underK1.Append(clear).Append(underK2))
        {
            Assert.Equal(message.Payload, (await Store.Intake.FindMessageAsync(message.MessageId, default))!.Payload);
            Assert.Equal("k2", SealedValue.KeyIdOf(await RawPayloadAsync(message.MessageId)));
        }

        Assert.Equal("endpoint said: Distinctname", Assert.Single(await Store.Intake.GetDeliveriesAsync(delivery.MessageId, default)).LastError);
    }

    [StoreFact]
    public async Task A_reencryption_run_again_from_the_start_rewrites_nothing()
    {
        await ReopenWithAsync(new DataKeyRing([K1], "k1"));
        await Store.Intake.AcceptAsync(StoreSamples.Message(), default);

        var batch = await Reencryption.ReencryptAsync(ReencryptionCursor.Start, 100, default);
        var last = await Reencryption.ReencryptAsync(batch.Next, 100, default);

        Assert.Equal((1, 0, false), (batch.Scanned, batch.Resealed, batch.Done));
        Assert.Equal((0, true), (last.Resealed, last.Done));
    }

    [StoreFact]
    public async Task The_last_batch_ends_at_the_last_delivery_even_when_no_delivery_had_an_error_to_reseal()
    {
        await ReopenWithAsync(new DataKeyRing([K1], "k1"));
        await Store.Intake.AcceptAsync(StoreSamples.Message(), default);
        await Store.Intake.AcceptAsync(StoreSamples.Message(), default);

        var messages = await Reencryption.ReencryptAsync(ReencryptionCursor.Start, 100, default);
        var deliveries = await Reencryption.ReencryptAsync(messages.Next, 100, default);

        Assert.True(deliveries.Done);
        Assert.Equal(0, deliveries.Scanned);
        Assert.Equal((deliveries.LastMessageSeq, deliveries.LastDeliveryId), (deliveries.Next.MessageSeq, deliveries.Next.DeliveryId));
    }

    [StoreFact]
    public async Task A_value_under_a_key_no_longer_configured_stops_the_run_naming_the_key_and_rewrites_nothing()
    {
        await ReopenWithAsync(new DataKeyRing([K1], "k1"));
        var message = StoreSamples.Message() with { Payload = Payload };
        await Store.Intake.AcceptAsync(message, default);
        await ReopenWithAsync(new DataKeyRing([K2], "k2"));

        var error = await Assert.ThrowsAsync<DataKeyMissingException>(() => Reencryption.ReencryptAsync(ReencryptionCursor.Start, 100, default));

        Assert.Equal("k1", error.KeyId);
        Assert.Equal("k1", SealedValue.KeyIdOf(await RawPayloadAsync(message.MessageId)));
    }

    private async Task ReopenWithAsync(DataKeyRing keys)
    {
        Store.Keys = keys;
        await Store.ReopenAsync();
    }

    private async Task<byte[]> RawPayloadAsync(string messageId) =>
        (byte[])(await Store.QueryBehindTheStoreAsync($"SELECT payload FROM messages WHERE message_id = '{messageId}'"))!;
}

public sealed class SqliteReencryptionTests : ReencryptionContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresReencryptionTests : ReencryptionContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
