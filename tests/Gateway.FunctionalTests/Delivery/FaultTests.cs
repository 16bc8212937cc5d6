using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>Endpoints that go down, fail a share of calls or never accept, with real gateway and PartnerSim processes.</summary>
public sealed class FaultTests
{
    private const string Fujian = "CN/FJPSD";

    [Fact]
    public async Task An_endpoint_that_is_down_and_comes_back_gets_every_message_in_per_case_order_none_applied_twice()
    {
        await using var network = await DeliveryNetwork.StartAsync([Fujian]);
        var client = new ReferralService.ReferralServiceClient(network.Gateway.Channel);
        await SubmitAsync(client, count: 10, cases: 2, prefix: "DOWN");
        await network.WaitForInboxAsync(Fujian, 10);

        await network[Fujian].KillAsync();
        await SubmitAsync(client, count: 20, cases: 2, prefix: "DOWN");
        await Eventually.WaitForAsync(
            () => GatewayDatabase.DeliveryStates(network.DatabasePath),
            states => states.GetValueOrDefault((int)DeliveryState.RetryWait) > 0,
            "a failed attempt while the endpoint is down");
        await network.RestartEndpointAsync(Fujian);

        var inbox = await network.WaitForInboxAsync(Fujian, 30);
        AssertAppliedOnceInCaseOrder(network, inbox, 30);
    }

    [Fact]
    public async Task An_endpoint_failing_30_percent_of_calls_gets_everything_in_per_case_order()
    {
        await using var network = await DeliveryNetwork.StartAsync(
            [Fujian],
            new Dictionary<string, PartnerSimFaults> { [Fujian] = new() { FailPercent = 30 } },
            "--Gateway:Delivery:BatchSize=4");
        var client = new ReferralService.ReferralServiceClient(network.Gateway.Channel);

        await SubmitAsync(client, count: 100, cases: 5, prefix: "FLAKY");

        var inbox = await network.WaitForInboxAsync(Fujian, 100);
        AssertAppliedOnceInCaseOrder(network, inbox, 100);
        Assert.Contains(network[Fujian].ReadReceivedLog(), line => line.Contains("REFUSED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_that_exhausts_its_attempts_is_dead_lettered_and_an_operator_replay_delivers_it()
    {
        await using var network = await DeliveryNetwork.StartAsync(
            [Fujian],
            new Dictionary<string, PartnerSimFaults> { [Fujian] = new() { FailPercent = 100 } },
            "--Gateway:Delivery:Retry:MaxAttempts=3");
        var client = new ReferralService.ReferralServiceClient(network.Gateway.Channel);
        var operations = new OperationsService.OperationsServiceClient(network.Gateway.Channel);
        var operatorHeader = new Metadata { { "x-liaison-operator", "duty-officer-1" } };
        var messageId = (await SubmitAsync(client, count: 1, cases: 1, prefix: "DEAD")).Single();

        var dead = await Eventually.WaitForAsync(
            () => operations.ListDeadLetters(new ListDeadLettersRequest(), operatorHeader).DeadLetters,
            letters => letters.Any(l => l.MessageId == messageId),
            "the delivery to be dead-lettered");
        var letter = dead.Single(l => l.MessageId == messageId);
        Assert.Equal((3u, Fujian), (letter.Attempts, letter.Recipient));
        Assert.Empty(network[Fujian].ReadInbox().Applied);

        await network.RestartEndpointAsync(Fujian, PartnerSimFaults.None);
        var replay = await operations.ReplayDeadLettersAsync(
            new ReplayDeadLettersRequest { DeliveryIds = { letter.DeliveryId }, Reason = "endpoint repaired" },
            operatorHeader);

        Assert.Equal([letter.DeliveryId], replay.ReplayedDeliveryIds);
        var applied = Assert.Single((await network.WaitForInboxAsync(Fujian, 1)).Applied);
        Assert.Equal(messageId, applied.MessageId);
        Assert.True(applied.Replayed);
    }

    /// <summary>Submits referrals from the Moscow liaison office to Fujian, 8 at a time, spread over cases; returns the ids.</summary>
    private static async Task<List<string>> SubmitAsync(ReferralService.ReferralServiceClient client, int count, int cases, string prefix)
    {
        var ids = new List<string>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(8))
        {
            await Task.WhenAll(chunk.Select(i =>
            {
                var referral = Samples.Referral();
                referral.Referral.Coordination = null;
                referral.Header.CaseReference = $"CN-FJ-{prefix}-{i % cases}";
                lock (ids)
                {
                    ids.Add(referral.Header.MessageId);
                }

                return client.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU")).ResponseAsync;
            }));
        }

        return ids;
    }

    /// <summary>Every stored message applied exactly once, and each case's messages applied in the order the gateway accepted them.</summary>
    private static void AssertAppliedOnceInCaseOrder(DeliveryNetwork network, PartnerInbox inbox, int expected)
    {
        Assert.Equal(expected, inbox.Applied.Count);
        Assert.Equal(expected, inbox.Applied.Select(e => e.MessageId).Distinct().Count());
        network.AssertCasesAppliedInAcceptedOrder(inbox);
    }
}
