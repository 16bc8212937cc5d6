using Gateway.FunctionalTests.Delivery;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A subscriber on gateway A of case updates published through gateway B, both on one PostgreSQL database.</summary>
public sealed class CrossInstanceSubscribeTests(TwoInstanceNetwork fixture) : IClassFixture<TwoInstanceNetwork>
{
    private const string Publisher = "RU/MVD";
    private const string Reader = "CN/MPS";
    private const string Case = "RU-MVD-2026-AB-FEED";

    [PostgresFact]
    public async Task A_subscriber_on_A_gets_Bs_updates_in_order_and_resuming_on_B_gets_the_rest_without_gap_or_repeat()
    {
        await new ReferralService.ReferralServiceClient(fixture.B.Channel).SubmitReferralAsync(Samples.CaseOpening(Publisher, Reader, Case), GatewayServer.As(Publisher));
        var published = await PublishThroughBAsync(10);
        using var onA = new Subscriber(fixture.A.Channel, Reader, 0, Case);
        var received = await onA.NextAsync(10);

        // A's subscription now waits: these reach it only because B's commits wake it.
        published.AddRange(await PublishThroughBAsync(10));
        received.AddRange(await onA.NextAsync(5));
        onA.Dispose();

        using var onB = new Subscriber(fixture.B.Channel, Reader, received[^1].Sequence, Case);
        received.AddRange(await onB.NextAsync(5));

        Assert.Equal(published, received.Select(u => u.Header.MessageId));
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequences increase");
        Assert.All(received, u => Assert.Equal((Publisher, CaseUpdate.KindOneofCase.StatusChange), (u.Header.Sender, u.Update.KindCase)));

        // The next one is a new update, not a repeat.
        var marker = await PublishThroughBAsync(1);
        Assert.Equal(marker, [(await onB.NextAsync()).Header.MessageId]);
    }

    /// <summary>Publishes <paramref name="count"/> status updates of the case through B; returns their ids, each acknowledged as accepted.</summary>
    private async Task<List<string>> PublishThroughBAsync(int count)
    {
        var updates = Enumerable.Range(0, count).Select(_ => Samples.StatusUpdate(Publisher, Case)).ToList();
        using var call = new CaseUpdateService.CaseUpdateServiceClient(fixture.B.Channel).PublishUpdates(GatewayServer.As(Publisher));
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
        }

        await call.RequestStream.CompleteAsync();
        var acks = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal(Enumerable.Repeat(UpdateOutcome.Accepted, count), acks.Select(a => a.Outcome));
        return updates.Select(u => u.Header.MessageId).ToList();
    }
}
