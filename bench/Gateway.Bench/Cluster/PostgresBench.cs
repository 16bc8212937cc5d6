using System.Diagnostics;
using System.Globalization;
using Gateway.Bench.Delivery;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Bench.Cluster;

/// <summary>
/// Issue 20's benchmarks in one run, every gateway a real process from the Release build (as an operator runs it):
/// intake on SQLite and on PostgreSQL side by side; delivery on each; nginx forwarding the same intake calls to a
/// no-op endpoint (the non-durable proxy baseline); 1, 2 and 3 instances on one PostgreSQL database; and the time
/// from an instance's SIGKILL to its deliveries being delivered by the other. Each part on a fresh database.
/// </summary>
public sealed class PostgresBench(DirectoryInfo dataDir, string synchronous, TimeSpan window, IReadOnlyList<int> concurrencies, string server)
{
    public static readonly int[] InstanceCounts = [1, 2, 3];

    /// <summary>Callers of the delivery and instance parts: as the delivery scenario's.</summary>
    public const int DeliveryCallers = DeliveryBench.Callers;

    public const int FailoverCallers = 16;

    /// <summary>
    /// Unmeasured load at the highest count on each fresh gateway process before its first cell, while tiered compilation
    /// settles. Shorter than the delivery scenario's 20 s (fresh processes recompile for 12-15 s there), so that the nine
    /// gateway processes of a run fit in a few minutes; the first seconds of a window may still see some of it.
    /// </summary>
    public static readonly TimeSpan ProcessWarmUp = TimeSpan.FromSeconds(10);

    /// <summary>Unmeasured load before each cell's window, as in the intake scenario.</summary>
    public static readonly TimeSpan CellWarmUp = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Short, so that the failover part takes seconds; the dispatcher's endpoint timeout must stay below it. What matters
    /// is the time to resume measured against it (goal: under twice the lease).
    /// </summary>
    public static readonly TimeSpan FailoverLease = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Added by the endpoint before each answer, so that each instance always has deliveries in flight.</summary>
    public const int FailoverEndpointDelayMs = 500;

    /// <summary>Load into the survivor before the kill.</summary>
    public static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private const string Recipient = "CN/FJPSD";
    private static readonly Metadata DeliveryHeaders = ReferralFactory.HeadersFor(DeliveryBench.Sender);

    private long _sequence;

    /// <summary>Runs every part, printing each part's table as it ends; 1 when a part was not sound (errors, messages lost).</summary>
    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous, TimeSpan window, IReadOnlyList<int> concurrencies, string? server)
    {
        if (server is null)
        {
            Console.Error.WriteLine($"postgres scenario not run: it needs a PostgreSQL server whose role may create databases, named by --postgres CONNECTION-STRING or {PostgresTestServer.Variable}. "
                + "Start a private one with: eval \"$(scripts/postgres-dev.sh start)\"");
            return 2;
        }

        return await new PostgresBench(dataDir, synchronous, window, concurrencies, server).RunAsync();
    }

    private async Task<int> RunAsync()
    {
        await PostgresReport.PrintHeaderAsync(server, synchronous, window);

        var intake = await IntakeAsync();
        PostgresReport.PrintIntake(intake);

        var delivery = new[]
        {
            await InDirectoryAsync("delivery-sqlite", dir => FlowAsync(GatewayStore.Sqlite(Path.Combine(dir.FullName, "gateway.db"), synchronous), 1, dir)),
            await OnFreshDatabaseAsync("delivery-postgres", (store, dir) => FlowAsync(store, 1, dir)),
        };
        PostgresReport.PrintDelivery(delivery);

        var nginx = await NginxAsync();
        PostgresReport.PrintNginx(nginx, intake);

        var instances = new List<FlowCell>();
        foreach (var count in InstanceCounts)
        {
            instances.Add(await OnFreshDatabaseAsync($"instances-{count}", (store, dir) => FlowAsync(store, count, dir)));
        }

        PostgresReport.PrintInstances(instances);

        var failover = await OnFreshDatabaseAsync("failover", FailoverAsync);
        PostgresReport.PrintFailover(failover);

        PostgresReport.PrintGoals(intake, instances, failover);

        var sound = intake.All(r => r.Sqlite.Errors == 0 && r.Postgres.Errors == 0)
            && delivery.Concat(instances).All(c => c.Calls.Errors == 0 && c.Drain is not null)
            && (nginx is null || nginx.All(r => r.Proxied.Errors == 0 && r.Direct.Errors == 0))
            && failover.Sound;
        return sound ? 0 : 1;
    }

    /// <summary>
    /// Part 1: a SQLite gateway and a PostgreSQL gateway, delivery off (intake alone, as the intake scenario measures it),
    /// both running throughout; at each caller count SQLite then PostgreSQL, so that both see the machine in the same state.
    /// </summary>
    private async Task<List<IntakeRow>> IntakeAsync()
    {
        var dir = dataDir.CreateSubdirectory("intake");
        await using var database = await PostgresTestDatabase.CreateAsync(server);
        await using var sqlite = await GatewayInstance.StartAsync(GatewayStore.Sqlite(Path.Combine(dir.FullName, "gateway.db"), synchronous), "--Gateway:Delivery:Enabled=false");
        await using var postgres = await GatewayInstance.StartAsync(
            GatewayStore.Postgres(database.ConnectionString, Path.Combine(dir.FullName, "keys.db")), "--Gateway:Delivery:Enabled=false");
        using var toSqlite = new SpreadClients([sqlite.Address]);
        using var toPostgres = new SpreadClients([postgres.Address]);

        Task Submit(SpreadClients clients, int caller, CancellationToken ct) =>
            clients.For(caller).SubmitReferralAsync(ReferralFactory.Create(), new CallOptions(ReferralFactory.CallerHeaders, cancellationToken: ct)).ResponseAsync;

        foreach (var clients in new[] { toSqlite, toPostgres })
        {
            await VerifyAsync(clients.For(0), ReferralFactory.Create(), ReferralFactory.CallerHeaders);
            await LoadRunner.RunAsync(concurrencies.Max(), TimeSpan.Zero, ProcessWarmUp, (i, ct) => Submit(clients, i, ct));
        }

        var rows = new List<IntakeRow>();
        foreach (var callers in concurrencies)
        {
            var onSqlite = await LoadRunner.RunAsync(callers, CellWarmUp, window, (i, ct) => Submit(toSqlite, i, ct));
            var (onPostgres, activity) = await PostgresActivity.SampleAsync(
                database.ConnectionString, () => LoadRunner.RunAsync(callers, CellWarmUp, window, (i, ct) => Submit(toPostgres, i, ct)));
            rows.Add(new IntakeRow(onSqlite, onPostgres, activity));
        }

        return rows;
    }

    /// <summary>
    /// Parts 2 and 4: <paramref name="instances"/> gateways on <paramref name="store"/> delivering to one PartnerSim, 64
    /// callers spread over them; counts the calls answered and the messages the endpoint applied inside the same window.
    /// </summary>
    private async Task<FlowCell> FlowAsync(GatewayStore store, int instances, DirectoryInfo dir)
    {
        await using var sims = await PartnerSimSet.StartAsync([Recipient], dir);
        var gateways = await GatewayInstance.StartManyAsync(instances, store, EndpointSettings(sims.Endpoints[0].Address));
        try
        {
            using var clients = new SpreadClients([.. gateways.Select(g => g.Address)]);
            foreach (var client in clients.OnePerAddress)
            {
                await VerifyAsync(client, NextDelivery(), DeliveryHeaders);
            }

            Task<Measurement> Load() => LoadRunner.RunAsync(DeliveryCallers, ProcessWarmUp, window, (i, ct) =>
                clients.For(i).SubmitReferralAsync(NextDelivery(), new CallOptions(DeliveryHeaders, cancellationToken: ct)).ResponseAsync);
            var (calls, activity) = store.ConnectionString is { } database ? await PostgresActivity.SampleAsync(database, Load) : (await Load(), null);

            // Everything answered must reach the endpoint; how long that takes after the load stops is the backlog left.
            var drain = await sims.WaitForAppliedAsync(instances + calls.Completed, DrainTimeout);
            var delivered = sims.AppliedAt().Values.LongCount(at => at >= calls.WindowStart && at < calls.WindowEnd);
            return new FlowCell(store.Name, instances, calls, delivered, window, drain, activity);
        }
        finally
        {
            await GatewayInstance.DisposeAllAsync(gateways);
        }
    }

    /// <summary>
    /// Part 3: nginx forwarding SubmitReferral with grpc_pass to a ReferralService in this process that keeps nothing,
    /// and the same no-op called directly, at each caller count. Null when nginx is not installed.
    /// </summary>
    private async Task<List<NginxRow>?> NginxAsync()
    {
        if (NginxProxy.MissingReason is { } missing)
        {
            Console.WriteLine($"Part 3, nginx: not measured: {missing}");
            Console.WriteLine();
            return null;
        }

        await using var noOp = await LoopbackGrpcServer.StartAsync<NullReferralService>();
        await using var nginx = await NginxProxy.StartAsync(noOp.Address);
        using var proxied = new SpreadClients([nginx.Address]);
        using var direct = new SpreadClients([noOp.Address]);

        Task Submit(SpreadClients clients, int caller, CancellationToken ct) =>
            clients.For(caller).SubmitReferralAsync(ReferralFactory.Create(), new CallOptions(ReferralFactory.CallerHeaders, cancellationToken: ct)).ResponseAsync;

        await VerifyAsync(proxied.For(0), ReferralFactory.Create(), ReferralFactory.CallerHeaders);
        await LoadRunner.RunAsync(concurrencies.Max(), TimeSpan.Zero, ProcessWarmUp, (i, ct) => Submit(proxied, i, ct));
        var rows = new List<NginxRow>();
        foreach (var callers in concurrencies)
        {
            rows.Add(new NginxRow(
                await LoadRunner.RunAsync(callers, CellWarmUp, window, (i, ct) => Submit(proxied, i, ct)),
                await LoadRunner.RunAsync(callers, CellWarmUp, window, (i, ct) => Submit(direct, i, ct))));
        }

        PostgresReport.NginxVersion = await NginxProxy.VersionAsync();
        return rows;
    }

    /// <summary>
    /// Part 5: two instances, A and B, on one database with a short lease, delivering to an endpoint that takes
    /// <see cref="FailoverEndpointDelayMs"/> per call; callers send to B. Once A holds leases, A is SIGKILLed, and the
    /// deliveries it held are watched in the database until B has delivered every one.
    /// </summary>
    private async Task<FailoverResult> FailoverAsync(GatewayStore store, DirectoryInfo dir)
    {
        await using var sims = await PartnerSimSet.StartAsync([Recipient], dir, new PartnerSimFaults { DelayMilliseconds = FailoverEndpointDelayMs });
        var gateways = await GatewayInstance.StartManyAsync(
            2, store, [.. EndpointSettings(sims.Endpoints[0].Address), $"--Gateway:Delivery:Lease={FailoverLease:c}", $"--Gateway:Delivery:Timeout={FailoverTimeout:c}"]);
        var (a, b) = (gateways[0], gateways[1]);
        await using var probe = new LeaseProbe(store.ConnectionString!);
        try
        {
            using var clients = new SpreadClients([b.Address]);
            await VerifyAsync(clients.For(0), NextDelivery(), DeliveryHeaders);

            // Long enough to run through the whole wait below, so that B is under load while it takes A's work over.
            var loadWindow = LoadBeforeKill + (3 * FailoverLease);
            var load = LoadRunner.RunAsync(FailoverCallers, TimeSpan.Zero, loadWindow, (i, ct) =>
                clients.For(i).SubmitReferralAsync(NextDelivery(), new CallOptions(DeliveryHeaders, cancellationToken: ct)).ResponseAsync);
            await Task.Delay(LoadBeforeKill);
            await WaitForAsync(async () => (await probe.InFlightAsync(a.LeaseOwnerPrefix)).Count > 0, FailoverLease);

            await a.KillAsync();
            var sinceKill = Stopwatch.StartNew();
            var killedAt = DateTimeOffset.UtcNow;

            // Read after the kill: what A held then, it can no longer finish.
            var orphans = await probe.InFlightAsync(a.LeaseOwnerPrefix);
            var ids = orphans.Select(o => o.DeliveryId).ToArray();
            var leasesRunOut = orphans.Count == 0 ? TimeSpan.Zero : orphans.Max(o => o.LeaseUntil) - killedAt;
            TimeSpan? first = null;
            TimeSpan? all = null;
            var states = new Dictionary<DeliveryState, int>();
            while (ids.Length > 0 && all is null && sinceKill.Elapsed < 6 * FailoverLease)
            {
                states = await probe.StatesAsync(ids);
                var delivered = states.GetValueOrDefault(DeliveryState.Delivered);
                var elapsed = sinceKill.Elapsed;
                if (delivered > 0)
                {
                    first ??= elapsed;
                }

                if (delivered == ids.Length)
                {
                    all = elapsed;
                }
                else
                {
                    await Task.Delay(20);
                }
            }

            var calls = await load;
            var drain = await sims.WaitForAppliedAsync(1 + calls.Completed, DrainTimeout);
            return new FailoverResult(ids.Length, leasesRunOut, first, all, states, calls, 1 + calls.Completed, sims.AppliedCount(), drain, await probe.DeadLetteredAsync());
        }
        finally
        {
            await GatewayInstance.DisposeAllAsync(gateways);
        }
    }

    /// <summary>A fresh database (and directory) for one part, dropped when it ends.</summary>
    private async Task<T> OnFreshDatabaseAsync<T>(string name, Func<GatewayStore, DirectoryInfo, Task<T>> part)
    {
        await using var database = await PostgresTestDatabase.CreateAsync(server);
        return await InDirectoryAsync(name, dir => part(GatewayStore.Postgres(database.ConnectionString, Path.Combine(dir.FullName, "keys.db")), dir));
    }

    private async Task<T> InDirectoryAsync<T>(string name, Func<DirectoryInfo, Task<T>> part) => await part(dataDir.CreateSubdirectory(name));

    /// <summary>The directory's endpoint of the recipient pointed at this part's PartnerSim (agencies are configured by index).</summary>
    private static string[] EndpointSettings(string address) =>
        [string.Create(CultureInfo.InvariantCulture, $"--Gateway:Directory:Agencies:{DeliveryBench.AgencyIndexes()[Recipient]}:Endpoint={address}")];

    /// <summary>One message per case (one open message per recipient and case is delivered at a time), from CN/NCB to Fujian.</summary>
    private SubmitReferralRequest NextDelivery() =>
        ReferralFactory.Create(DeliveryBench.Sender, Recipient, string.Create(CultureInfo.InvariantCulture, $"PGBENCH-{Interlocked.Increment(ref _sequence):D9}"));

    /// <summary>One call first, its receipt checked, so that no figure is that of fast refusals.</summary>
    private static async Task VerifyAsync(ReferralService.ReferralServiceClient client, SubmitReferralRequest request, Metadata headers)
    {
        var response = await client.SubmitReferralAsync(request, new CallOptions(headers, deadline: DateTime.UtcNow.AddSeconds(30)));
        if (response.Receipt is not { } receipt || receipt.MessageId != request.Header.MessageId || receipt.State != MessageState.Accepted
            || !receipt.ResolvedRecipients.SequenceEqual(request.Header.Recipients))
        {
            throw new InvalidOperationException($"unexpected receipt {response.Receipt}");
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        while (!await condition() && started.Elapsed < timeout)
        {
            await Task.Delay(10);
        }
    }
}

/// <summary>Part 1's row: the same calls at one caller count into the SQLite gateway and into the PostgreSQL gateway.</summary>
/// <param name="Activity">What the PostgreSQL gateway's database sessions did during its cell.</param>
public sealed record IntakeRow(Measurement Sqlite, Measurement Postgres, PostgresActivity Activity)
{
    public int Callers => Sqlite.Callers;

    public double PostgresToSqlite => Postgres.CallsPerSecond / Sqlite.CallsPerSecond;
}

/// <summary>Part 3's row: the intake calls through nginx, and the no-op it forwards to called directly.</summary>
public sealed record NginxRow(Measurement Proxied, Measurement Direct);

/// <summary>Accepted and delivered in one window by some instances on one store.</summary>
/// <param name="Activity">On PostgreSQL, what the database's sessions did during the run (warm-up included); null on SQLite.</param>
public sealed record FlowCell(string Store, int Instances, Measurement Calls, long DeliveredInWindow, TimeSpan Window, TimeSpan? Drain, PostgresActivity? Activity)
{
    public double DeliveredPerSecond => DeliveredInWindow / Window.TotalSeconds;

    /// <summary>The lower of accepted/s and delivered/s in the window, as the delivery scenario counts it.</summary>
    public double SustainedPerSecond => Math.Min(Calls.CallsPerSecond, DeliveredPerSecond);
}

/// <param name="InFlightAtKill">Deliveries under the killed instance's leases when it died.</param>
/// <param name="LeasesRunOut">From the kill to the last of those leases running out.</param>
/// <param name="FirstResumed">From the kill to the first of them delivered by the survivor; null if none was.</param>
/// <param name="AllDelivered">From the kill to the last of them delivered; null if not all were in time.</param>
/// <param name="Accepted">Referrals the survivor acknowledged (the check call included).</param>
/// <param name="Applied">Messages the endpoint holds applied at the end.</param>
public sealed record FailoverResult(
    int InFlightAtKill, TimeSpan LeasesRunOut, TimeSpan? FirstResumed, TimeSpan? AllDelivered, Dictionary<DeliveryState, int> States,
    Measurement Calls, long Accepted, long Applied, TimeSpan? Drain, long DeadLettered)
{
    /// <summary>Nothing lost or dead-lettered, no call failed, and the killed instance's work all delivered.</summary>
    public bool Sound => Calls.Errors == 0 && Drain is not null && Applied == Accepted && DeadLettered == 0 && InFlightAtKill > 0 && AllDelivered is not null;
}
