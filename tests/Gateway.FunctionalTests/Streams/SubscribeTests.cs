using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Streams;

/// <summary>CaseUpdateService.Subscribe through a real client and a real server on 127.0.0.1.</summary>
public class SubscribeTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly FeedWriter _feed = new(server);

    [Fact]
    public async Task A_subscriber_gets_the_existing_updates_in_order_then_a_live_one()
    {
        // No other test here addresses CN/PLO-TH, so "everything addressed to the caller" is exactly these.
        var existing = await _feed.PublishManyAsync(3, "AR-PFA-2026-0001", ["CN/PLO-TH"]);
        using var subscriber = new Subscriber(server.Channel, "CN/PLO-TH");

        var first = await subscriber.NextAsync(3);

        Assert.Equal(existing, first.Select(u => u.Header.MessageId));
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequences increase");
        Assert.Equal(CaseUpdate.KindOneofCase.Evidence, first[0].Update.KindCase);
        Assert.Equal("AR/PFA", first[0].Header.Sender);

        // Nothing polls: the update reaches the waiting subscription because the commit signals it.
        var live = await _feed.PublishAsync("AR-PFA-2026-0002", ["CN/PLO-TH"]);
        var next = await subscriber.NextAsync();

        Assert.Equal(live, next.Header.MessageId);
        Assert.Equal("AR-PFA-2026-0002", next.Header.CaseReference);
        Assert.True(next.Sequence > first[^1].Sequence);
    }

    [Fact]
    public async Task Resuming_after_the_last_sequence_received_gives_no_gap_and_no_duplicate()
    {
        const string Case = "AR-PFA-2026-0101";
        var ids = await _feed.PublishManyAsync(5, Case, ["CN/FJPSD"]);
        List<SubscribeResponse> before;
        using (var subscriber = new Subscriber(server.Channel, "CN/FJPSD", 0, Case))
        {
            before = await subscriber.NextAsync(3);
        }

        ids.AddRange(await _feed.PublishManyAsync(2, Case, ["CN/FJPSD"]));
        using var resumed = new Subscriber(server.Channel, "CN/FJPSD", before[^1].Sequence, Case);
        var after = await resumed.NextAsync(4);

        Assert.Equal(ids, before.Concat(after).Select(u => u.Header.MessageId));

        // The next one is a new update, not a repeat.
        var marker = await _feed.PublishAsync(Case, ["CN/FJPSD"]);
        Assert.Equal(marker, (await resumed.NextAsync()).Header.MessageId);
    }

    [Fact]
    public async Task A_subscriber_sees_only_the_cases_it_asked_for_and_only_updates_addressed_to_it()
    {
        const string Followed = "AR-PFA-2026-0201";
        const string Other = "AR-PFA-2026-0202";
        await _feed.PublishAsync(Other, ["CN/FJPSD"]);
        var shared = await _feed.PublishAsync(Followed, ["CN/FJPSD", "CN/MPS"]);
        await _feed.PublishAsync(Followed, ["CN/MPS"]);
        var own = await _feed.PublishAsync(Followed, ["CN/FJPSD"]);
        using var subscriber = new Subscriber(server.Channel, "CN/FJPSD", 0, Followed);

        Assert.Equal([shared, own], (await subscriber.NextAsync(2)).Select(u => u.Header.MessageId));

        await _feed.PublishAsync(Other, ["CN/FJPSD"]);
        await _feed.PublishAsync(Followed, ["CN/MPS"]);
        var live = await _feed.PublishAsync(Followed, ["CN/FJPSD"]);
        Assert.Equal(live, (await subscriber.NextAsync()).Header.MessageId);
    }

    [Fact]
    public async Task A_subscription_that_names_no_agency_is_refused()
    {
        var call = new CaseUpdateService.CaseUpdateServiceClient(server.Channel).Subscribe(new SubscribeRequest());

        var status = await StatusAssert.Refused(() => call.ResponseStream.MoveNext(), StatusCode.Unauthenticated);

        Assert.Equal("CALLER_UNKNOWN", status.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task A_subscription_to_a_malformed_case_reference_is_refused_by_the_schema()
    {
        var request = new SubscribeRequest { CaseReferences = { "not a case" } };
        var call = new CaseUpdateService.CaseUpdateServiceClient(server.Channel).Subscribe(request, GatewayServer.As("CN/FJPSD"));

        await StatusAssert.Refused(() => call.ResponseStream.MoveNext(), StatusCode.InvalidArgument, "case_references[0]");
    }
}
