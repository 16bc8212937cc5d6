using System.Collections.Concurrent;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Hosting;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Grpc.Core;
using Grpc.Health.V1;
using Interagency.V1;
using Xunit.Abstractions;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Gateway.FunctionalTests.Durability;

/// <summary>
/// PostgreSQL stops at once under load (<c>pg_ctl stop -m immediate</c>, as in a crash of the database server) and starts
/// again, while a gateway process on it keeps running and delivers to a PartnerSim. The server is the test's own
/// (<see cref="PrivatePostgresServer"/>): the shared one must stay up for the tests that run beside this one.
/// </summary>
public sealed class DatabaseLossTests(ITestOutputHelper output)
{
    private const string Sender = "CN/PLO-RU";
    private const string Fujian = "CN/FJPSD";
    private const string FollowedCase = "CN-FJ-LOSS-FEED";
    private const int Senders = 8;
    private const int Cases = 20;
    private const int AcknowledgedPerPhase = 100;

    /// <summary>Every call has a deadline: a call that neither succeeds nor is refused within it hangs, which is a failure.</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(2);

    [PrivatePostgresFact]
    public async Task While_PostgreSQL_is_down_calls_are_unavailable_and_after_it_returns_every_acknowledged_message_is_delivered_once()
    {
        await using var postgres = await PrivatePostgresServer.StartAsync();
        // A slow endpoint keeps deliveries in flight whenever PostgreSQL stops: their outcomes cannot be recorded.
        await using var network = await DeliveryNetwork.StartAsync(
            postgres.ConnectionString, [Fujian], new Dictionary<string, PartnerSimFaults> { [Fujian] = new() { DelayMilliseconds = 200 } });
        var channel = network.Gateway.Channel;
        var referrals = new ReferralService.ReferralServiceClient(channel);
        var health = new Grpc.Health.V1.Health.HealthClient(channel);
        var load = new Load(referrals);

        var opening = Samples.CaseOpening(Sender, Fujian, FollowedCase);
        await referrals.SubmitReferralAsync(opening, GatewayServer.As(Sender), deadline: Deadline());
        load.Acknowledged.Add(opening.Header.MessageId);
        using var subscription = new CaseUpdateService.CaseUpdateServiceClient(channel)
            .Subscribe(new SubscribeRequest { CaseReferences = { FollowedCase } }, GatewayServer.As(Fujian));
        var pendingRead = subscription.ResponseStream.MoveNext(CancellationToken.None);

        load.Start();
        await load.WaitForAcknowledgedAsync(AcknowledgedPerPhase);
        await postgres.StopImmediatelyAsync();
        var acknowledgedAtStop = load.Acknowledged.Count;

        await UntilAsync(async () => await CheckAsync(health, "") == ServingStatus.NotServing, "health of \"\" NOT_SERVING while PostgreSQL is down");
        Assert.Equal(ServingStatus.Serving, await CheckAsync(health, GatewayServiceCollectionExtensions.LivenessService));
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            referrals.SubmitReferralAsync(Referral(0), GatewayServer.As(Sender), deadline: Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        await load.WaitForUnavailableAsync(Senders);
        Assert.Equal(ServingStatus.NotServing, await CheckAsync(health, ""));

        await postgres.StartAgainAsync();
        await UntilAsync(async () => await CheckAsync(health, "") == ServingStatus.Serving, "health of \"\" SERVING again once PostgreSQL is back");
        var acknowledgedAtReturn = load.Acknowledged.Count;
        await load.WaitForAcknowledgedAsync(acknowledgedAtReturn + AcknowledgedPerPhase);
        await load.StopAsync();
        Assert.Empty(load.UnexpectedStatuses);

        // The subscription opened before the outage: it is either still open, and gets an update published after, or it
        // ended with UNAVAILABLE, and a new one resumes where it was (the case's opening referral is not an update).
        var update = Samples.StatusUpdate(Sender, FollowedCase);
        await PublishAsync(new CaseUpdateService.CaseUpdateServiceClient(channel), update);
        load.Acknowledged.Add(update.Header.MessageId);
        RpcException? ended = null;
        try
        {
            Assert.True(await pendingRead.WaitAsync(PhaseTimeout), "the subscription ended without a status");
        }
        catch (RpcException error)
        {
            ended = error;
        }

        string subscriptionFate;
        if (ended is null)
        {
            Assert.Equal(update.Header.MessageId, subscription.ResponseStream.Current.Header.MessageId);
            subscriptionFate = "stayed open and received the update published after the outage";
        }
        else
        {
            Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
            using var resumed = new CaseUpdateService.CaseUpdateServiceClient(channel)
                .Subscribe(new SubscribeRequest { CaseReferences = { FollowedCase } }, GatewayServer.As(Fujian));
            Assert.True(await resumed.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(PhaseTimeout));
            Assert.Equal(update.Header.MessageId, resumed.ResponseStream.Current.Header.MessageId);
            subscriptionFate = $"ended with {ended.StatusCode}; a new one received the update published after the outage";
        }

        // Every message acknowledged is stored and applied at the endpoint; what the endpoint applied was stored, and
        // each once. A call refused during the outage may still have been stored (sent again, it was found so).
        var inbox = await Eventually.WaitForAsync(
            () => network[Fujian].ReadInbox(),
            i => i.Applied.Select(e => e.MessageId).ToHashSet().IsSupersetOf(load.Acknowledged),
            "every acknowledged message applied at the endpoint",
            PhaseTimeout);
        var stored = GatewayDatabase.MessagesByCase(network.Store).Values.SelectMany(ids => ids).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Superset(load.Acknowledged.ToHashSet(), stored.ToHashSet());
        inbox = await network.WaitForInboxAsync(Fujian, stored.Count, PhaseTimeout);
        var applied = inbox.Applied.Select(e => e.MessageId).ToList();
        Assert.Equal(applied.Count, applied.Distinct().Count());
        Assert.Equal(stored.ToHashSet(), applied.ToHashSet());
        network.AssertCasesAppliedInAcceptedOrder(inbox);

        var (exitCode, verified) = await GatewayProcess.RunCommandAsync(
            "verify-audit",
            "--Gateway:Storage:Provider=Postgres",
            $"--Gateway:Storage:Postgres:ConnectionString={postgres.ConnectionString}",
            $"--Gateway:Storage:Sqlite:Path={network.DatabasePath}");
        Assert.True(exitCode == 0, verified);
        Assert.Contains("audit log intact", verified);

        // The gateway reports the outage with warnings and with its health; only the health service's report of the
        // failed check is logged as an error.
        var errors = network.Gateway.Output.Split('\n')
            .Where(line => line.TrimStart().StartsWith("fail:", StringComparison.Ordinal) || line.TrimStart().StartsWith("crit:", StringComparison.Ordinal))
            .Where(line => !line.Contains("HealthChecks.DefaultHealthCheckService[103]", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, $"The gateway logged errors: {string.Join(Environment.NewLine, errors)}");

        output.WriteLine(
            $"{acknowledgedAtStop} acknowledged before the immediate stop, {acknowledgedAtReturn - acknowledgedAtStop} between the stop and health SERVING again, " +
            $"{load.Acknowledged.Count - acknowledgedAtReturn} after it returned; {load.Unavailable} calls answered UNAVAILABLE; {stored.Count} stored, " +
            $"{applied.Count} applied once at the endpoint ({inbox.Duplicates} duplicate deliveries discarded there); the subscription {subscriptionFate}.");
    }

    private static DateTime Deadline() => DateTime.UtcNow + CallDeadline;

    private static SubmitReferralRequest Referral(int index)
    {
        var referral = Samples.Referral(Sender, Fujian);
        referral.Referral.Coordination = null;
        referral.Header.CaseReference = $"CN-FJ-LOSS-{index % Cases}";
        return referral;
    }

    private static async Task<ServingStatus> CheckAsync(Grpc.Health.V1.Health.HealthClient health, string service) =>
        (await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: Deadline())).Status;

    private static async Task PublishAsync(CaseUpdateService.CaseUpdateServiceClient client, PublishUpdatesRequest update)
    {
        using var call = client.PublishUpdates(GatewayServer.As(Sender), deadline: Deadline());
        await call.RequestStream.WriteAsync(update);
        await call.RequestStream.CompleteAsync();
        Assert.Single(await call.ResponseStream.ReadAllAsync().ToListAsync());
    }

    /// <summary>Looks again every 50 ms until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <see cref="PhaseTimeout"/>.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + PhaseTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>
    /// Senders submitting referrals one after another until stopped, each sent again with the same id after UNAVAILABLE
    /// (as a client must: it cannot know whether it was stored) until acknowledged.
    /// </summary>
    private sealed class Load(ReferralService.ReferralServiceClient client)
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _senders = Task.CompletedTask;
        private int _next;
        private int _unavailable;

        public ConcurrentBag<string> Acknowledged { get; } = [];

        public ConcurrentBag<string> UnexpectedStatuses { get; } = [];

        public int Unavailable => Volatile.Read(ref _unavailable);

        public void Start() => _senders = Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)));

        public Task WaitForAcknowledgedAsync(int count) =>
            Eventually.WaitForAsync(() => Acknowledged.Count, n => n >= count, $"{count} referrals acknowledged", PhaseTimeout);

        public Task WaitForUnavailableAsync(int count) =>
            Eventually.WaitForAsync(() => Unavailable, n => n >= count, $"{count} calls answered UNAVAILABLE", PhaseTimeout);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _senders.WaitAsync(PhaseTimeout);
        }

        private async Task SendAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var referral = Referral(Interlocked.Increment(ref _next));
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await client.SubmitReferralAsync(referral, GatewayServer.As(Sender), deadline: Deadline());
                        Acknowledged.Add(referral.Header.MessageId);
                        break;
                    }
                    catch (RpcException error) when (error.StatusCode == StatusCode.Unavailable)
                    {
                        Interlocked.Increment(ref _unavailable);

                        // A client backs off before it tries again; nothing tells it when the gateway can store again.
                        await Task.Delay(TimeSpan.FromMilliseconds(50));
                    }
                    catch (RpcException error)
                    {
                        UnexpectedStatuses.Add($"{error.StatusCode}: {error.Status.Detail}");
                        break;
                    }
                }
            }
        }
    }
}
