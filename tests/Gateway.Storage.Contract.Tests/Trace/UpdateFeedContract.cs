using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Trace;

/// <summary>The case updates a subscriber follows: only updates, only its own, of the cases it names, resumable after a sequence.</summary>
public abstract class UpdateFeedContract : StoreContract
{
    [StoreFact]
    public async Task A_subscriber_reads_the_updates_addressed_to_it_in_order_of_its_cases_and_resumes_after_a_sequence()
    {
        var first = Update("CASE-A", 1, "CN/FJPSD", "RU/MVD");
        var referral = StoreSamples.Message(null, "CASE-A", recipients: ["CN/FJPSD"]);
        var elsewhere = Update("CASE-B", 2, "CN/FJPSD");
        var notOurs = Update("CASE-A", 3, "US/FBI");
        var second = Update("CASE-A", 4, "CN/FJPSD");
        foreach (var message in new[] { first, referral, elsewhere, notOurs, second })
        {
            Assert.True((await Store.Intake.AcceptAsync(message, default)).Applied);
        }

        var all = await Store.Feed().ReadFeedAsync("CN/FJPSD", [], 0, 10, default);

        Assert.Equal([first.MessageId, elsewhere.MessageId, second.MessageId], all.Select(e => e.MessageId));
        Assert.Equal(all.Select(e => e.Sequence).Order(), all.Select(e => e.Sequence));
        Assert.Equal(first.Payload, all[0].Payload);
        Assert.Equal("CASE-A", all[0].CaseReference);
        Assert.Equal(
            [first.MessageId, second.MessageId],
            (await Store.Feed().ReadFeedAsync("CN/FJPSD", ["CASE-A", "CASE-C"], 0, 10, default)).Select(e => e.MessageId));
        Assert.Equal([elsewhere.MessageId, second.MessageId], (await Store.Feed().ReadFeedAsync("CN/FJPSD", [], all[0].Sequence, 10, default)).Select(e => e.MessageId));
        Assert.Equal([first.MessageId], (await Store.Feed().ReadFeedAsync("CN/FJPSD", [], 0, 1, default)).Select(e => e.MessageId));
        Assert.Equal([first.MessageId], (await Store.Feed().ReadFeedAsync("RU/MVD", [], 0, 10, default)).Select(e => e.MessageId));
        Assert.Empty(await Store.Feed().ReadFeedAsync("CN/FJPSD", [], all[^1].Sequence, 10, default));
    }

    internal static NewMessage Update(string caseReference, byte content, params string[] recipients) =>
        StoreSamples.Message(null, caseReference, content, recipients: recipients) with { Kind = MessageKind.CaseUpdate };
}

public sealed class SqliteUpdateFeedTests : UpdateFeedContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresUpdateFeedTests : UpdateFeedContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
