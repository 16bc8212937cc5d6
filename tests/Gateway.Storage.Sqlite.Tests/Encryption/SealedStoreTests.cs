using System.Text;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Encryption;

/// <summary>
/// The store seals payloads and last errors bound to their rows, reads them back under any configured key, refuses
/// what was altered or moved, names a key it lacks, and re-encrypts under the active key batch by batch.
/// </summary>
public sealed class SealedStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly DataKey K2 = DataKey.Generate("k2");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("Subject: ZHAO Distinctname, passport E99887766");

    [Fact]
    public async Task A_last_error_is_stored_sealed_and_read_back_as_recorded()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock, keys: new DataKeyRing([K1], "k1"));
        await temp.Store.AcceptAsync(TempStore.Message(), default);
        var claimed = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery;

        await temp.Store.ApplyEachAsync(
            [new ChangeSet([], [new RecordDeliveryAttempt(claimed.DeliveryId, DeliveryState.RetryWait, clock.GetUtcNow(), "Unavailable: ZHAO Distinctname", Finished: false)], [])],
            default);

        Assert.Equal("blob", Raw(temp.Path, $"SELECT typeof(last_error) FROM deliveries WHERE delivery_id = {claimed.DeliveryId}"));
        Assert.Equal("Unavailable: ZHAO Distinctname", Assert.Single(await temp.Store.GetDeliveriesAsync(claimed.MessageId, default)).LastError);
    }

    [Fact]
    public async Task A_payload_altered_in_the_file_is_refused_not_returned()
    {
        await using var temp = new TempStore(keys: new DataKeyRing([K1], "k1"));
        var message = TempStore.Message() with { Payload = Payload };
        await temp.Store.AcceptAsync(message, default);
        var stored = RawPayload(temp.Path, message.MessageId);
        stored[^1] ^= 0x01;

        await temp.ReopenAsync(path => SetPayload(path, message.MessageId, stored));

        await Assert.ThrowsAsync<SealedValueException>(() => temp.Store.FindMessageAsync(message.MessageId, default));
    }

    [Fact]
    public async Task After_reencryption_the_old_key_can_go_and_every_payload_and_last_error_reads_as_written()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var clear = TempStore.Message() with { Payload = Payload };
        await temp.Store.AcceptAsync(clear, default);
        temp.Keys = new DataKeyRing([K1], "k1");
        await temp.ReopenAsync();
        var underK1 = Enumerable.Range(0, 5).Select(i => TempStore.Message() with { Payload = [.. Payload, (byte)i] }).ToArray();
        foreach (var message in underK1)
        {
            await temp.Store.AcceptAsync(message, default);
        }

        var claimed = await temp.Store.ClaimDeliveriesAsync("w", Lease, 1, [], default);
        var delivery = Assert.Single(claimed).Delivery;
        await temp.Store.ApplyEachAsync(
            [new ChangeSet([], [new RecordDeliveryAttempt(delivery.DeliveryId, DeliveryState.RetryWait, clock.GetUtcNow(), "endpoint said: Distinctname", Finished: false)], [])],
            default);
        temp.Keys = new DataKeyRing([K1, K2], "k2");
        await temp.ReopenAsync();
        var underK2 = TempStore.Message() with { Payload = Payload };
        await temp.Store.AcceptAsync(underK2, default);

        var batches = 0;
        var resealed = 0;
        var position = ReencryptionCursor.Start;
        ReencryptionBatch batch;
        do
        {
            batch = await temp.Store.ReencryptAsync(position, batchSize: 2, default);
            position = batch.Next;
            resealed += batch.Resealed;
            batches++;
        }
        while (!batch.Done);
        temp.Keys = new DataKeyRing([K2], "k2");
        await temp.ReopenAsync();

        // 1 clear + 5 under k1 payloads and 1 last error; the message under k2 stays as it was.
        Assert.Equal(7, resealed);
        Assert.True(batches >= 4);
        foreach (var message in underK1.Append(clear).Append(underK2))
        {
            Assert.Equal(message.Payload, (await temp.Store.FindMessageAsync(message.MessageId, default))!.Payload);
            Assert.Equal("k2", SealedValue.KeyIdOf(RawPayload(temp.Path, message.MessageId)));
        }

        Assert.Equal("endpoint said: Distinctname", Assert.Single(await temp.Store.GetDeliveriesAsync(delivery.MessageId, default)).LastError);
    }

    [Fact]
    public async Task A_reencryption_run_again_from_the_start_rewrites_nothing()
    {
        await using var temp = new TempStore(keys: new DataKeyRing([K1], "k1"));
        await temp.Store.AcceptAsync(TempStore.Message(), default);

        var batch = await temp.Store.ReencryptAsync(ReencryptionCursor.Start, 100, default);
        var last = await temp.Store.ReencryptAsync(batch.Next, 100, default);

        Assert.Equal((1, 0, false), (batch.Scanned, batch.Resealed, batch.Done));
        Assert.Equal((0, true), (last.Resealed, last.Done));
    }

    [Fact]
    public async Task The_last_batch_ends_at_the_last_delivery_even_when_no_delivery_had_an_error_to_reseal()
    {
        await using var temp = new TempStore(keys: new DataKeyRing([K1], "k1"));
        await temp.Store.AcceptAsync(TempStore.Message(), default);
        await temp.Store.AcceptAsync(TempStore.Message(), default);

        var messages = await temp.Store.ReencryptAsync(ReencryptionCursor.Start, 100, default);
        var deliveries = await temp.Store.ReencryptAsync(messages.Next, 100, default);

        Assert.True(deliveries.Done);
        Assert.Equal(0, deliveries.Scanned);
        Assert.Equal((deliveries.LastMessageSeq, deliveries.LastDeliveryId), (deliveries.Next.MessageSeq, deliveries.Next.DeliveryId));
    }

    private static byte[] RawPayload(string path, string messageId) =>
        (byte[])Raw(path, $"SELECT payload FROM messages WHERE message_id = '{messageId}'")!;

    private static object? Raw(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void SetPayload(string path, string messageId, byte[] payload)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE messages SET payload = $payload WHERE message_id = $id";
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$id", messageId);
        command.ExecuteNonQuery();
    }
}
