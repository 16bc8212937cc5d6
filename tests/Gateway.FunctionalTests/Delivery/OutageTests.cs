using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Data.Sqlite;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// An endpoint down through many back-offs, with real gateway and PartnerSim processes: what the endpoint's
/// received.log shows it was sent while it was down, against the attempts the gateway's store counted.
/// </summary>
public sealed partial class OutageTests
{
    private const string Fujian = "CN/FJPSD";
    private const int Queued = 50;

    // Refused deliveries awaited before the store is looked at: the first one and enough probes to span several back-offs.
    private const int Probes = 9;

    // Every back-off, the endpoint's and each delivery's, lasts between half of this and all of it.
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task An_endpoint_down_for_many_back_offs_is_probed_with_one_delivery_per_back_off_and_gets_everything_once_in_order_when_it_returns()
    {
        // One failed call opens the breaker; the attempts allowed are more than the probes the outage leaves room for,
        // so that what is measured is the attempts, not when they run out.
        await using var network = await DeliveryNetwork.StartAsync(
            [Fujian],
            new Dictionary<string, PartnerSimFaults> { [Fujian] = new() { FailPercent = 100 } },
            $"--Gateway:Delivery:Retry:BaseDelay={Backoff}",
            $"--Gateway:Delivery:Retry:MaxDelay={Backoff}",
            "--Gateway:Delivery:Retry:EndpointFailureThreshold=1",
            "--Gateway:Delivery:Retry:MaxAttempts=100");
        var client = new ReferralService.ReferralServiceClient(network.Gateway.Channel);
        await SubmitAsync(client, count: 1, cases: 1, prefix: "OUTAGE-FIRST");
        await Eventually.WaitForAsync(
            () => GatewayDatabase.DeliveryStates(network.DatabasePath),
            states => states.GetValueOrDefault((int)DeliveryState.RetryWait) > 0,
            "the first delivery to fail, which opens the endpoint's breaker");

        await SubmitAsync(client, count: Queued, cases: 5, prefix: "OUTAGE");
        await Eventually.WaitForAsync(
            () => Refused(network),
            refused => refused.Count >= Probes,
            $"{Probes} deliveries refused by the endpoint");
        // The endpoint's log read before and after the store, until no call came in between: the two agree.
        var (refused, deliveries, _) = await Eventually.WaitForAsync(
            () => (Before: Refused(network), Store: Deliveries(network.DatabasePath), After: Refused(network)),
            look => look.Before.Count == look.After.Count,
            "a look at the store between two of the endpoint's calls");

        // Each refused call (its lines share one time) carried one delivery, a probe, and the calls were a back-off apart.
        var calls = refused.GroupBy(l => l.At).ToList();
        Assert.All(calls, call => Assert.Single(call));
        var span = refused.Max(l => l.At) - refused.Min(l => l.At);
        Assert.InRange(calls.Count, Probes, 1 + (int)(span / (Backoff / 2)));

        // Attempts are counted per call made (a probe in flight aside): the deliveries never sent have none.
        var refusals = refused.GroupBy(l => l.DeliveryId).ToDictionary(g => g.Key, g => g.Count());
        var settled = deliveries.Where(d => d.State != DeliveryState.InFlight).ToList();
        Assert.All(settled, d => Assert.Equal(refusals.GetValueOrDefault(d.DeliveryId), d.Attempts));

        await network.RestartEndpointAsync(Fujian, PartnerSimFaults.None);
        var inbox = await network.WaitForInboxAsync(Fujian, Queued + 1);
        Assert.Equal(Queued + 1, inbox.Applied.Count);
        Assert.Equal(Queued + 1, inbox.Applied.Select(e => e.MessageId).Distinct().Count());
        network.AssertCasesAppliedInAcceptedOrder(inbox);
    }

    private static List<Line> Refused(DeliveryNetwork network) =>
        [.. network[Fujian].ReadReceivedLog().Select(Line.Parse).Where(l => l.Outcome == "REFUSED")];

    /// <summary>Every delivery's id, state and attempts counted, from the gateway's store.</summary>
    private static List<(long DeliveryId, DeliveryState State, int Attempts)> Deliveries(string path)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var sqlite = new SqliteConnection(connection.ConnectionString);
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT delivery_id, state, attempts FROM deliveries";
        using var reader = command.ExecuteReader();
        var deliveries = new List<(long, DeliveryState, int)>();
        while (reader.Read())
        {
            deliveries.Add((reader.GetInt64(0), (DeliveryState)reader.GetInt32(1), reader.GetInt32(2)));
        }

        return deliveries;
    }

    /// <summary>Submits referrals from the Moscow liaison office to Fujian, 8 at a time, spread over cases.</summary>
    private static async Task SubmitAsync(ReferralService.ReferralServiceClient client, int count, int cases, string prefix)
    {
        foreach (var chunk in Enumerable.Range(0, count).Chunk(8))
        {
            await Task.WhenAll(chunk.Select(i =>
            {
                var referral = Samples.Referral();
                referral.Referral.Coordination = null;
                referral.Header.CaseReference = $"CN-FJ-{prefix}-{i % cases}";
                return client.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU")).ResponseAsync;
            }));
        }
    }

    /// <summary>One line of a PartnerSim's received.log: when, what became of it, which delivery, which attempt.</summary>
    private sealed partial record Line(DateTimeOffset At, string Outcome, long DeliveryId, int Attempt)
    {
        public static Line Parse(string line)
        {
            var match = Pattern().Match(line);
            Assert.True(match.Success, $"unexpected received.log line: {line}");
            return new Line(
                DateTimeOffset.Parse(match.Groups["at"].Value, CultureInfo.InvariantCulture),
                match.Groups["outcome"].Value,
                long.Parse(match.Groups["delivery"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["attempt"].Value, CultureInfo.InvariantCulture));
        }

        [GeneratedRegex(@"^(?<at>\S+) (?<outcome>[A-Z]+) +delivery=(?<delivery>\S+) .* attempt=(?<attempt>\d+) ")]
        private static partial Regex Pattern();
    }
}
