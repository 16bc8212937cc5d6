using System.Collections.Concurrent;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;
using Xunit.Abstractions;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>Kill the gateway process in the middle of delivering; after a restart every message is applied exactly once.</summary>
public sealed class DeliveryCrashTests(ITestOutputHelper output)
{
    private const string Fujian = "CN/FJPSD";
    private const int Messages = 2000;
    private const int Callers = 32;
    private const int Cases = 50;

    [Fact]
    public async Task After_SIGKILL_during_delivery_every_accepted_message_is_applied_exactly_once_in_per_case_order()
    {
        // A slow endpoint, small batches and few in flight keep the delivery of 2,000 messages going for a few seconds.
        await using var network = await DeliveryNetwork.StartAsync(
            [Fujian],
            new Dictionary<string, PartnerSimFaults> { [Fujian] = new() { DelayMilliseconds = 50 } },
            "--Gateway:Delivery:BatchSize=8",
            "--Gateway:Delivery:MaxInFlight=16");
        var client = new ReferralService.ReferralServiceClient(network.Gateway.Channel);
        var acknowledged = new ConcurrentBag<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Messages; i = Interlocked.Increment(ref next))
            {
                var referral = Samples.Referral();
                referral.Referral.Coordination = null;
                referral.Header.CaseReference = $"CN-FJ-CRASH-{i % Cases}";
                await client.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
                acknowledged.Add(referral.Header.MessageId);
            }
        })));

        var before = await network.WaitForInboxAsync(Fujian, Messages / 10);
        await network.RestartGatewayAfterKillAsync();
        Assert.True(before.Applied.Count < Messages, "the kill must come while messages are still being delivered");

        var inbox = await network.WaitForInboxAsync(Fujian, Messages, TimeSpan.FromMinutes(2));
        var applied = inbox.Applied.Select(e => e.MessageId).ToHashSet();
        Assert.Equal(Messages, inbox.Applied.Count);
        Assert.Subset(applied, acknowledged.ToHashSet());
        network.AssertCasesAppliedInAcceptedOrder(inbox);

        output.WriteLine(
            $"{acknowledged.Count} messages acknowledged; SIGKILL after {before.Applied.Count} were applied; after restart all {inbox.Applied.Count} applied once, " +
            $"{inbox.Duplicates} duplicate deliveries received and discarded by the endpoint");
    }
}
