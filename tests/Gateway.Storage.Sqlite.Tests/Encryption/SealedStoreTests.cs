using System.Text;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests.Encryption;

/// <summary>
/// The store seals payloads and last errors bound to their rows, reads them back under any configured key, and refuses
/// what was altered or moved. Re-encryption is in the stores' contract (Gateway.Storage.Contract.Tests, ReencryptionContract).
/// </summary>
public sealed class SealedStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("Subject: ZHAO Distinctname, passport E99887766");

    [Fact]
    public async Task A_last_error_is_stored_sealed_and_read_back_as_recorded()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock, keys: new DataKeyRing([K1], "k1"));
        await temp.Store.AcceptAsync(StoreSamples.Message(), default);
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
        var message = StoreSamples.Message() with { Payload = Payload };
        await temp.Store.AcceptAsync(message, default);
        var stored = RawPayload(temp.Path, message.MessageId);
        stored[^1] ^= 0x01;

        await temp.ReopenAsync(path => SetPayload(path, message.MessageId, stored));

        await Assert.ThrowsAsync<SealedValueException>(() => temp.Store.FindMessageAsync(message.MessageId, default));
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
