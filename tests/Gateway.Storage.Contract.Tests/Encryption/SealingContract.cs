using System.Text;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Encryption;

/// <summary>
/// With data keys, a store holds payloads and justifications sealed, bound to their rows: the stored bytes name the key
/// and not the person, read back as written, refuse to open in another row, and name a key no longer configured.
/// </summary>
public abstract class SealingContract : StoreContract
{
    private const string Name = "ZHAO Distinctname";
    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes($"Subject: {Name}, passport E99887766");

    protected override DataKeyRing? Keys => new([K1], "k1");

    [StoreFact]
    public async Task A_payload_is_stored_sealed_under_the_active_key_and_read_back_as_sent()
    {
        var message = StoreSamples.Message() with { Payload = Payload };

        await Store.Intake.AcceptAsync(message, default);

        var stored = await RawPayloadAsync(message.MessageId);
        Assert.Equal("k1", SealedValue.KeyIdOf(stored));
        Assert.Equal(-1, stored.AsSpan().IndexOf("Distinctname"u8));
        Assert.Equal(Payload, (await Store.Intake.FindMessageAsync(message.MessageId, default))!.Payload);
    }

    [StoreFact]
    public async Task A_payload_copied_into_another_row_is_refused()
    {
        var first = StoreSamples.Message() with { Payload = Payload };
        var second = StoreSamples.Message();
        await Store.Intake.AcceptAsync(first, default);
        await Store.Intake.AcceptAsync(second, default);

        await Store.ExecuteBehindTheStoreAsync(
            $"UPDATE messages SET payload = (SELECT payload FROM messages WHERE message_id = '{first.MessageId}') WHERE message_id = '{second.MessageId}'");

        var error = await Assert.ThrowsAsync<SealedValueException>(() => Store.Intake.FindMessageAsync(second.MessageId, default));
        Assert.Contains("another row", error.Message);
    }

    [StoreFact]
    public async Task A_row_under_a_key_no_longer_configured_fails_with_an_error_naming_the_key()
    {
        var message = StoreSamples.Message() with { Payload = Payload };
        await Store.Intake.AcceptAsync(message, default);

        Store.Keys = new DataKeyRing([DataKey.Generate("k2")], "k2");
        await Store.ReopenAsync();

        var error = await Assert.ThrowsAsync<DataKeyMissingException>(() => Store.Intake.FindMessageAsync(message.MessageId, default));
        Assert.Equal("k1", error.KeyId);
    }

    [StoreFact]
    public async Task A_justification_naming_a_person_is_stored_sealed_reads_back_with_the_key_and_as_a_marker_without_it()
    {
        var reason = $"victim {Name}: checking the referral";
        var sequence = await Store.Audit.AppendAsync([AuditEntries.Consulted("operator:duty", Guid.NewGuid().ToString(), "GetMessageContent", reason)], default);

        var detail = (string)(await Store.QueryBehindTheStoreAsync($"SELECT detail FROM audit WHERE seq = {sequence}"))!;
        Assert.DoesNotContain("Distinctname", detail);
        Assert.Equal(reason, Assert.Single(await Store.Audit.ReadAuditAsync(default).ToListAsync()).Details.Justification!.Text);

        Store.Keys = new DataKeyRing([DataKey.Generate("k2")], "k2");
        await Store.ReopenAsync();
        var read = Assert.Single(await Store.Audit.ReadAuditAsync(default).ToListAsync());
        Assert.Equal(("(sealed under key k1, not configured)", (string?)null), (read.Details.Justification!.Shown, read.Details.Justification.Text));
        Assert.True(AuditVerifier.Verify([read], await Store.Audit.ReadAuditHeadAsync(default)).IsIntact);
    }

    private async Task<byte[]> RawPayloadAsync(string messageId) =>
        (byte[])(await Store.QueryBehindTheStoreAsync($"SELECT payload FROM messages WHERE message_id = '{messageId}'"))!;
}

public sealed class SqliteSealingTests : SealingContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresSealingTests : SealingContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
