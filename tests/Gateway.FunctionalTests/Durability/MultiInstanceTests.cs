using System.Diagnostics;
using System.Globalization;
using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Cli;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;
using Xunit.Abstractions;

namespace Gateway.FunctionalTests.Durability;

/// <summary>
/// Three gateway processes on one PostgreSQL database, delivering to PartnerSim processes: the acceptance of issue 20 for
/// several instances. Under load from senders that fail over between them, one instance is SIGKILLed twice and started
/// again; the others deliver what it had in flight once its leases run out, and nothing is lost, applied twice, reordered
/// or dead-lettered. Periodic work (the reply-deadline scan) runs once across the three, not once per instance.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output)
{
    private const string Sender = "CN/PLO-RU";
    private const string Fujian = "CN/FJPSD";
    private const string Ministry = "CN/MPS";
    private const int Senders = 16;
    private const int Cases = 50;
    private const int Referrals = 1500;

    /// <summary>
    /// Each sender's pause after a receipt: at most some 60 referrals a second in all, so that the load lasts through both
    /// restarts (each several seconds on a loaded machine) without growing far past <see cref="Referrals"/>.
    /// </summary>
    private static readonly TimeSpan SenderPause = TimeSpan.FromMilliseconds(250);

    /// <summary>Short, so that a killed instance's deliveries are taken over within seconds; longer than <see cref="CallTimeout"/>, as it must be.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(2);

    [PostgresFact]
    public async Task With_one_of_three_instances_killed_twice_under_load_every_acknowledged_referral_is_applied_once_in_order_at_each_recipient()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        // A slow answer keeps deliveries in flight at any moment, so that the kills leave some behind for the others.
        var slow = new PartnerSimFaults { DelayMilliseconds = 100 };
        await using var network = await DeliveryNetwork.StartAsync(
            database.ConnectionString,
            [Fujian, Ministry],
            new Dictionary<string, PartnerSimFaults> { [Fujian] = slow, [Ministry] = slow },
            $"--Gateway:Delivery:Lease={Lease:c}",
            $"--Gateway:Delivery:Timeout={CallTimeout:c}");
        var instances = new[] { network.Gateway, await network.StartAnotherGatewayAsync(), await network.StartAnotherGatewayAsync() };
        const int Victim = 2;
        var started = Stopwatch.StartNew();

        await using var senders = new FailoverSenders([.. instances.Select(i => i.Address)], Referral, SenderPause);
        senders.Start(Senders);
        var kills = new List<Kill>();
        foreach (var acknowledgedBefore in (int[])[Referrals / 5, Referrals * 3 / 5])
        {
            await senders.WaitForAcknowledgedAsync(acknowledgedBefore, PhaseTimeout);

            // Killed while it holds deliveries in flight, which is what the others must take over: watched until it does.
            await Eventually.WaitForAsync(
                () => GatewayDatabase.LeasedTo(network.Store, WorkerOf(instances[Victim])),
                leased => leased.Count > 0,
                "deliveries in flight on the victim",
                PhaseTimeout);
            var kill = await KillAsync(network, instances[Victim], started.Elapsed);
            instances[Victim] = await network.RestartAfterKillAsync(instances[Victim]);
            senders.Replace(Victim, instances[Victim].Address);
            kills.Add(kill with { Restarted = started.Elapsed });
        }

        // Both kills and restarts happened while the senders sent. They stop once there are enough referrals, and not before
        // a tenth more were acknowledged after the last restart, a third of them sent first to the instance started again.
        await senders.WaitForAcknowledgedAsync(Math.Max(Referrals, senders.Acknowledged.Count + (Referrals / 10)), PhaseTimeout);
        await senders.StopAsync();
        var loadTime = started.Elapsed;
        Assert.Empty(senders.UnexpectedStatuses);
        Assert.True(senders.FailedOver > 0, "No sender found its instance dead: the failover was not exercised.");

        // Every acknowledged referral is stored, once; a call cut short by a kill or by the stop may have been stored too.
        var stored = GatewayDatabase.MessagesByCase(network.Store).Values.SelectMany(ids => ids).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Superset(senders.Acknowledged.ToHashSet(), stored.ToHashSet());

        // Each recipient applied every stored referral once (it discarded the deliveries sent again), each case in the
        // order the instances accepted it.
        var inboxes = new Dictionary<string, PartnerInbox>();
        foreach (var recipient in (string[])[Fujian, Ministry])
        {
            var inbox = await network.WaitForInboxAsync(recipient, stored.Count, PhaseTimeout);
            var applied = inbox.Applied.Select(e => e.MessageId).ToList();
            Assert.Equal(applied.Count, applied.Distinct().Count());
            Assert.Equal(stored.ToHashSet(), applied.ToHashSet());
            network.AssertCasesAppliedInAcceptedOrder(inbox);
            inboxes[recipient] = inbox;
        }

        // Every delivery delivered, none dead-lettered: an expired lease's reclaim counts as an attempt, and two kills
        // are far from the attempts allowed.
        Assert.Equal(new Dictionary<int, long> { [(int)DeliveryState.Delivered] = 2L * stored.Count }, GatewayDatabase.DeliveryStates(network.Store));
        Assert.Empty(GatewayDatabase.Audit(network.Store, AuditKinds.DeliveryDeadLettered));

        var verified = await Gatewayctl.RunAsync("verify-audit", "--postgres", database.ConnectionString);
        Assert.True(verified.ExitCode == 0, verified.Output + verified.Error);
        Assert.StartsWith("audit log intact", verified.Output, StringComparison.Ordinal);

        // The survivors, and the victim's last run, reported the kills' effects (if any) as warnings, not as errors.
        foreach (var instance in instances)
        {
            var errors = instance.Output.Split('\n')
                .Where(line => line.TrimStart().StartsWith("fail:", StringComparison.Ordinal) || line.TrimStart().StartsWith("crit:", StringComparison.Ordinal))
                .ToList();
            Assert.True(errors.Count == 0, $"Gateway {instance.Id} logged errors: {string.Join(Environment.NewLine, errors)}");
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{senders.Acknowledged.Count} referrals acknowledged by {Senders} senders over 3 instances in {loadTime.TotalSeconds:F1} s, " +
            $"{senders.FailedOver} calls answered UNAVAILABLE and sent again to the next instance; {stored.Count} stored, each applied once at " +
            $"{Fujian} and {Ministry} (duplicate deliveries discarded there: {inboxes[Fujian].Duplicates} and {inboxes[Ministry].Duplicates}); " +
            $"most attempts of a delivery: {GatewayDatabase.MostAttempts(network.Store)}."));
        var outcomes = GatewayDatabase.AuditBy(network.Store, AuditKinds.DeliveryDelivered)
            .Concat(GatewayDatabase.AuditBy(network.Store, AuditKinds.DeliveryDuplicate))
            .ToList();
        foreach (var (kill, index) in kills.Select((k, i) => (k, i + 1)))
        {
            output.WriteLine($"Kill {index}: {kill.Describe(outcomes)}");
        }
    }

    [PostgresFact]
    public async Task An_overdue_reply_is_raised_once_by_three_instances_that_all_scan_for_it()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var network = await DeliveryNetwork.StartAsync(
            database.ConnectionString, [Ministry, "RU/MVD", "CN/PLO-TH", "US/FBI"], null, "--Gateway:Delivery:OverdueScanInterval=00:00:00.100");
        GatewayProcess[] instances = [network.Gateway, await network.StartAnotherGatewayAsync(), await network.StartAnotherGatewayAsync()];
        var request = Samples.LocationRequest("RU", "TH", "US");
        request.Header.CaseReference = "CN-MPS-2026-MULTI-OVERDUE";
        request.Header.ReplyBy = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(5));
        await new FugitiveService.FugitiveServiceClient(instances[0].Channel).RequestLocationAsync(request, GatewayServer.As(Ministry));
        await new FugitiveService.FugitiveServiceClient(instances[1].Channel).ReportLocationAsync(Samples.LocationReport(request, "RU/MVD", LocationOutcome.Located), GatewayServer.As("RU/MVD"));

        await Eventually.WaitForAsync(() => network[Ministry].ReadInbox().AppliedNoticesIn(request.Header.CaseReference), n => n.Count >= 2, "the two overdue notices at the requester");

        // A later request's notice shows that scans went on after the first raise: ten a second on each instance meanwhile.
        var marker = Samples.LocationRequest("RU");
        marker.Header.CaseReference = "CN-MPS-2026-MULTI-MARKER";
        marker.Header.ReplyBy = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(2));
        await new FugitiveService.FugitiveServiceClient(instances[2].Channel).RequestLocationAsync(marker, GatewayServer.As(Ministry));
        await Eventually.WaitForAsync(() => network[Ministry].ReadInbox().AppliedNoticesIn(marker.Header.CaseReference), n => n.Count == 1, "the marker's overdue notice");

        var raised = GatewayDatabase.Audit(network.Store, AuditKinds.ReplyOverdue).Where(e => e.MessageId == request.Header.MessageId).ToList();
        Assert.Equal(["CN/PLO-TH", "US/FBI"], raised.Select(e => e.Details.Recipient!).Order());
        Assert.Equal(["CN/PLO-TH", "US/FBI"], network[Ministry].ReadInbox().AppliedNoticesIn(request.Header.CaseReference).Select(n => n.Sender).Order());

        // Each raised by one instance alone: the instance that raises one logs it.
        var raisedLine = $"Reply overdue for message {request.Header.MessageId}";
        var logged = instances.Sum(i => i.Output.Split('\n').Count(line => line.Contains(raisedLine, StringComparison.Ordinal)));
        Assert.Equal(2, logged);
    }

    private static SubmitReferralRequest Referral(int index)
    {
        var referral = Samples.Referral(Sender, Fujian);
        referral.Header.Recipients.Add(Ministry);
        referral.Referral.Coordination = null;
        referral.Header.CaseReference = string.Create(CultureInfo.InvariantCulture, $"CN-FJ-2026-MULTI-{index % Cases:D2}");
        return referral;
    }

    /// <summary>
    /// SIGKILLs <paramref name="instance"/> and notes, once it is dead, the deliveries its dispatcher had in flight: they
    /// stay leased to it until their leases run out, whatever happens meanwhile.
    /// </summary>
    private static async Task<Kill> KillAsync(DeliveryNetwork network, GatewayProcess instance, TimeSpan intoTheLoad)
    {
        await instance.KillAsync();
        var at = DateTimeOffset.UtcNow;
        return new Kill(at, intoTheLoad, WorkerOf(instance), GatewayDatabase.LeasedTo(network.Store, WorkerOf(instance)));
    }

    /// <summary>How the names of an instance's dispatcher (its worker in leases, its actor in the audit) begin.</summary>
    private static string WorkerOf(GatewayProcess instance) =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{instance.Id}/");

    /// <summary>One kill: when, the killed dispatcher's worker name prefix, and the deliveries it left in flight.</summary>
    private sealed record Kill(DateTimeOffset At, TimeSpan IntoTheLoad, string Worker, IReadOnlyList<(string MessageId, string Recipient)> InFlight)
    {
        /// <summary>When the instance was listening again, from the start of the load.</summary>
        public TimeSpan Restarted { get; init; }

        /// <summary>
        /// How soon other instances delivered what the killed one had in flight, from the audit entries of the outcomes
        /// (written by the dispatcher that made the delivery, at the time it recorded it). Printed, not asserted: the
        /// timings of a loaded machine say little.
        /// </summary>
        public string Describe(IReadOnlyList<(string MessageId, string Actor, DateTimeOffset At, AuditDetails Details)> outcomes)
        {
            var killed = string.Create(
                CultureInfo.InvariantCulture, $"killed {IntoTheLoad.TotalSeconds:F1} s into the load, listening again at {Restarted.TotalSeconds:F1} s");
            if (InFlight.Count == 0)
            {
                return $"{killed}; it had no delivery in flight.";
            }

            var left = InFlight.ToHashSet();
            var takenOver = outcomes
                .Where(o => o.At > At && !o.Actor.StartsWith(Worker, StringComparison.Ordinal) && left.Contains((o.MessageId, o.Details.Recipient!)))
                .ToList();
            if (takenOver.Count == 0)
            {
                // Their outcomes were committed as the instance died, after the look at what it held.
                return $"{killed}; the {InFlight.Count} deliveries it had in flight were recorded by it after all.";
            }

            return string.Create(
                CultureInfo.InvariantCulture,
                $"{killed}; {InFlight.Count} deliveries left in flight, the first delivered by another dispatcher " +
                $"{(takenOver.Min(o => o.At) - At).TotalSeconds:F2} s after the kill, the last {(takenOver.Max(o => o.At) - At).TotalSeconds:F2} s " +
                $"(lease {Lease.TotalSeconds:F0} s), by {takenOver.Select(o => o.Actor).Distinct().Count()} dispatcher(s).");
        }
    }
}
