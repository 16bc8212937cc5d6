using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Storage.Contract.Tests.Operations;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Trace;

/// <summary>With data keys, the trace, a search, the feed and the held list read payloads opened, as they were sent.</summary>
public abstract class SealedReadsContract : StoreContract
{
    protected override DataKeyRing? Keys => new([DataKey.Generate("k1")], "k1");

    [StoreFact]
    public async Task Every_read_of_a_sealed_payload_gives_it_back_as_sent()
    {
        var update = UpdateFeedContract.Update("CASE-K", 7, "CN/FJPSD") with { State = Interagency.V1.MessageState.HeldForReview, InitialDeliveryState = DeliveryState.HeldForReview };
        await Store.Intake.AcceptAsync(update, default);
        var search = new MessageSearch(null, null, null, null, null, null, null, null, NewestFirst: false, After: 0, Limit: 10, Examine: 10);

        Assert.Equal(update.Payload, (await Store.Trace().FindTracedMessageAsync(update.MessageId, default))!.Message.Payload);
        Assert.Equal(update.Payload, Assert.Single((await Store.Trace().SearchMessagesAsync(search, default)).Messages).Message.Payload);
        Assert.Equal(update.Payload, Assert.Single(await Store.Feed().ReadFeedAsync("CN/FJPSD", [], 0, 10, default)).Payload);
        Assert.Equal(update.Payload, Assert.Single(await Store.Operations().ListHeldMessagesAsync(0, 10, default)).Message.Payload);
    }
}

public sealed class SqliteSealedReadsTests : SealedReadsContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresSealedReadsTests : SealedReadsContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
