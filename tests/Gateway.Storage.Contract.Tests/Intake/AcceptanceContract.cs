using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Intake;

/// <summary>
/// Acceptance: a message, its deliveries and its audit entry are stored together, once; the same id again finds the
/// first message and its receipt, however many copies arrive at once; what was committed survives the store's reopening.
/// </summary>
public abstract class AcceptanceContract : StoreContract
{
    [StoreFact]
    public async Task Accept_commits_message_deliveries_and_audit_entries_together()
    {
        var message = StoreSamples.Message(recipients: ["CN/FJPSD", "RU/MVD"]);

        var result = await Store.Intake.AcceptAsync(message, default);

        Assert.True(result.Applied);
        Assert.Equal(["CN/FJPSD", "RU/MVD"], result.Receipt!.Recipients);
        var stored = await Store.Intake.FindMessageAsync(message.MessageId, default);
        Assert.Equal(result.Receipt, stored!.Receipt with { Recipients = result.Receipt.Recipients });
        Assert.Equal(message.Payload, stored.Payload);
        var deliveries = await Store.Intake.GetDeliveriesAsync(message.MessageId, default);
        Assert.Equal(["CN/FJPSD", "RU/MVD"], deliveries.Select(d => d.Recipient));
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.Pending, d.State));
        var audit = await Store.Audit.ReadAuditAsync(default).ToListAsync();
        Assert.Equal([AuditKinds.MessageAccepted], audit.Select(a => a.Kind));
        Assert.Equal(result.Receipt.AuditSequence, audit[0].Sequence);
    }

    [StoreFact]
    public async Task A_message_id_already_stored_fails_its_precondition_and_the_first_message_and_receipt_stay()
    {
        // Intake then answers a replay with the stored receipt, or refuses the id as reused: it is not the store's call.
        var id = Guid.NewGuid().ToString();
        var first = await Store.Intake.AcceptAsync(StoreSamples.Message(id, content: 1), default);

        var again = await Store.Intake.AcceptAsync(StoreSamples.Message(id, content: 9), default);

        Assert.Equal(new MessageIdFree(id), again.Failed);
        Assert.Empty(again.Outcome!.AuditSequences);
        var stored = await Store.Intake.FindMessageAsync(id, default);
        Assert.Equal([1], stored!.Payload);
        Assert.Equal((first.Receipt!.AuditSequence, first.Receipt.AcceptedAt), (stored.Receipt.AuditSequence, stored.Receipt.AcceptedAt));
        Assert.Single(await Store.Intake.GetDeliveriesAsync(id, default));
        Assert.Equal([AuditKinds.MessageAccepted], await Store.Audit.ReadAuditAsync(default).Select(a => a.Kind).ToListAsync());
    }

    [StoreFact]
    public async Task Copies_of_one_message_sent_at_once_are_stored_once_and_every_other_copy_finds_its_id_taken()
    {
        var message = StoreSamples.Message();

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Store.Intake.AcceptAsync(message, default)));

        Assert.Single(results, r => r.Applied);
        Assert.All(results.Where(r => !r.Applied), r => Assert.Equal(new MessageIdFree(message.MessageId), r.Failed));
        Assert.Single(await Store.Intake.GetDeliveriesAsync(message.MessageId, default));
        Assert.Equal(1, await Store.Audit.ReadAuditAsync(default).CountAsync());
    }

    [StoreFact]
    public async Task Concurrent_acceptances_get_a_sequence_each_in_one_chain_that_verifies()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Store.Intake.AcceptAsync(StoreSamples.Message(), default)));

        Assert.All(results, r => Assert.True(r.Applied));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r.Receipt!.AuditSequence).Order());
        Assert.True(await VerifyAsync());
    }

    [StoreFact]
    public async Task Everything_committed_survives_closing_and_reopening()
    {
        var receipts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Store.Intake.AcceptAsync(StoreSamples.Message(), default)));

        await Store.ReopenAsync();
        var next = await Store.Intake.AcceptAsync(StoreSamples.Message(), default);

        foreach (var r in receipts)
        {
            var stored = (await Store.Intake.FindMessageAsync(r.Receipt!.MessageId, default))!.Receipt;
            Assert.Equal(r.Receipt, stored with { Recipients = r.Receipt.Recipients });
            Assert.Equal(r.Receipt.Recipients, stored.Recipients);
        }

        Assert.Equal(51, next.Receipt!.AuditSequence);
        Assert.True(await VerifyAsync());
    }

    [StoreFact]
    public async Task A_request_awaits_a_reply_from_each_recipient_but_the_one_sent_a_copy()
    {
        var request = StoreSamples.Message(recipients: ["RU/MVD", "US/FBI"]) with
        {
            ReplyDue = DateTimeOffset.UtcNow.AddDays(3),
            CopiedTo = Core.Agencies.AgencyId.Parse("US/FBI"),
        };

        await Store.Intake.AcceptAsync(request, default);

        Assert.True(await Store.Intake.IsReplyAwaitedAsync(request.MessageId, "RU/MVD", default));
        Assert.False(await Store.Intake.IsReplyAwaitedAsync(request.MessageId, "US/FBI", default));
        Assert.False(await Store.Intake.IsReplyAwaitedAsync(Guid.NewGuid().ToString(), "RU/MVD", default));
    }

    private async Task<bool> VerifyAsync() =>
        AuditVerifier.Verify(await Store.Audit.ReadAuditAsync(default).ToListAsync(), await Store.Audit.ReadAuditHeadAsync(default)).IsIntact;
}

public sealed class SqliteAcceptanceTests : AcceptanceContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresAcceptanceTests : AcceptanceContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
