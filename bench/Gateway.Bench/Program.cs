using Gateway.Tests.Shared;
using System.Globalization;
using System.Net.Security;
using Gateway.Bench.Delivery;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Interagency.V1;
using Microsoft.Data.Sqlite;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace Gateway.Bench;

/// <summary>
/// Starts the real gateway in this process on a free loopback port with a fresh database, then measures
/// a no-op RPC and SubmitReferral at several concurrencies and prints one table.
/// Usage: Gateway.Bench [--seconds N] [--synchronous FULL|NORMAL|EXTRA] [--scenario intake|delivery|backlog|streams|trace|flood|encryption|tls|store|postgres|all]
/// [--message-ids random|time-ordered] [--case-references one|unique] [--callers N[,N...]] [--telemetry on|off] [--encryption on|off] [--postgres CONNECTION-STRING]
/// </summary>
/// <remarks>
/// The delivery scenario (see <see cref="DeliveryBench"/>) measures the store-and-forward path end to end, to
/// PartnerSim processes, next to a plain forwarding proxy.
/// </remarks>
/// <remarks>
/// An explicit class rather than top-level statements: the gateway's own top-level Program is made public
/// by the .NET 10 web SDK, and a second global Program would clash with it.
/// </remarks>
internal static class Program
{
    private static int[] Concurrencies = [1, 16, 64];

    // Mutual TLS's cost is judged at 64 callers; one caller would measure mostly the disk flush both modes share.
    private static int[] TlsConcurrencies = [16, 64];
    private static int[] TraceSizes = [10_000, 100_000, 1_000_000];

    /// <summary>With <c>--telemetry on</c>, what the intake scenario's gateway exports to (<see cref="BenchTelemetry"/>).</summary>
    private static BenchTelemetry? Telemetry;
    private static readonly int[] EndpointCounts = [1, 3];

    /// <summary>The PostgreSQL server the postgres scenario creates its databases on: <c>--postgres</c>, else <c>LIAISON_TEST_POSTGRES</c>.</summary>
    private static string? PostgresServer = Gateway.Tests.Shared.Postgres.PostgresTestServer.ConnectionString;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    // HTTP/2 multiplexes, so a few connections carry any number of callers, as a partner's system would.
    private const int MaxChannels = 4;

    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var seconds, out var synchronous, out var scenario, out var problem))
        {
            Console.Error.WriteLine(problem);
            Console.Error.WriteLine("usage: Gateway.Bench [--seconds N (1-600, default 5)] [--synchronous FULL|NORMAL|EXTRA (default FULL)] "
                + "[--scenario intake|delivery|backlog|streams|trace|flood|encryption|tls|store|postgres|all (default all; trace, flood, encryption, tls, store and postgres are not in all)] [--message-ids random|time-ordered (default random)] "
                + "[--case-references one|unique (intake referrals in one case or each in a new one, default one)] [--callers N[,N...] (intake and encryption rows, 1-1000 each, default 1,16,64; tls rows, default 16,64)] "
                + "[--telemetry on|off (intake with tracing and metrics exported, every span sampled; default off)] "
                + "[--encryption on|off (intake with payloads sealed at rest, as the gateway always stores them, or in clear; default on)] "
                + "[--trace-sizes N[,N...] (messages in the stores the trace scenario queries, 1000-10000000 each, default 10000,100000,1000000)] "
                + "[--postgres CONNECTION-STRING (the server the postgres scenario creates its databases on; default LIAISON_TEST_POSTGRES)]");
            return 2;
        }

        var dataDir = Directory.CreateTempSubdirectory("gateway-bench-");
        try
        {
            var exitCode = 0;
            if (scenario is "intake" or "all")
            {
                exitCode = await IntakeAsync(dataDir, synchronous, seconds);
            }

            if (scenario is "encryption")
            {
                exitCode = Math.Max(exitCode, await EncryptionBench.RunAsync(dataDir, synchronous, seconds, Concurrencies));
            }

            if (scenario is "tls")
            {
                exitCode = Math.Max(exitCode, await Identity.MutualTlsBench.RunAsync(dataDir, synchronous, seconds, TlsConcurrencies));
            }

            if (scenario is "delivery" or "all")
            {
                exitCode = Math.Max(exitCode, await DeliveryAsync(dataDir, synchronous, TimeSpan.FromSeconds(seconds)));
            }

            if (scenario is "backlog" or "all")
            {
                exitCode = Math.Max(exitCode, await Delivery.BackloggedClaimBench.RunAsync(dataDir, synchronous));
            }

            if (scenario is "streams" or "all")
            {
                exitCode = Math.Max(exitCode, await Streams.StreamBench.RunAsync(dataDir, synchronous, TimeSpan.FromSeconds(seconds)));
            }

            if (scenario is "flood")
            {
                exitCode = Math.Max(exitCode, await Limits.FloodBench.RunAsync(dataDir, synchronous, TimeSpan.FromSeconds(seconds)));
            }

            if (scenario is "store")
            {
                exitCode = Math.Max(exitCode, await Storage.StoreIntakeBench.RunAsync(dataDir, synchronous, TimeSpan.FromSeconds(seconds), Concurrencies));
            }

            // Not in "all": it needs a PostgreSQL server, and runs for minutes.
            if (scenario is "postgres")
            {
                exitCode = Math.Max(exitCode, await Cluster.PostgresBench.RunAsync(dataDir, synchronous, TimeSpan.FromSeconds(seconds), Concurrencies, PostgresServer));
            }

            // Not in "all": filling a million messages takes minutes.
            if (scenario is "trace")
            {
                exitCode = Math.Max(exitCode, await Trace.TraceQueryBench.RunAsync(dataDir, synchronous, TraceSizes));
            }

            return exitCode;
        }
        finally
        {
            // Pooled read connections would keep the file open; close them before removing it.
            SqliteConnection.ClearAllPools();
            dataDir.Delete(recursive: true);
        }
    }

    private static async Task<int> IntakeAsync(DirectoryInfo dataDir, string synchronous, int seconds)
    {
        // The disk first, alone: the gateway started below would compete with it.
        var floor = DiskFloor.Measure(dataDir);

        // Intake alone, as this table has always measured: no dispatcher competing for the store and the cores.
        await using var gateway = await BenchGateway.StartAsync(
            Path.Combine(dataDir.FullName, "bench.db"),
            synchronous,
            EncryptionBench.Configure(EncryptionBench.Enabled, Telemetry is { } telemetry ? telemetry.AttachTo : null),
            "--Gateway:Delivery:Enabled=false");

        // The foundation issue's reference: a naive proxy that forwards each referral to an endpoint keeping nothing.
        await using var endpoint = await LoopbackGrpcServer.StartAsync<NullEndpointService>();
        await using var proxy = await ForwardingProxy.StartAsync(new Dictionary<string, string> { ["CN/FJPSD"] = endpoint.Address });
        Report.PrintHeader(gateway, seconds, WarmUp, Concurrencies.Max());
        var exitCode = await MeasureAsync(gateway, proxy.Address, TimeSpan.FromSeconds(seconds), floor);
        DiskFloor.Print(floor);
        Report.PrintTelemetry(Telemetry);
        return exitCode;
    }

    private static async Task<int> DeliveryAsync(DirectoryInfo dataDir, string synchronous, TimeSpan window)
    {
        var bench = new DeliveryBench(dataDir, synchronous, window);

        // Both paths once, unmeasured: the gateway, the proxy and the load generator share this process, so without it
        // the first cell (the durable one) ran while the JIT was still compiling and instrumenting the code that the
        // proxy cell after it then found optimised (docs/tuning-figures.md).
        await bench.DurableThroughputAsync(EndpointCounts[0]);
        await bench.ProxyThroughputAsync(EndpointCounts[0]);

        var throughput = new List<(ThroughputCell, ThroughputCell)>();
        foreach (var endpoints in EndpointCounts)
        {
            throughput.Add((await bench.DurableThroughputAsync(endpoints), await bench.ProxyThroughputAsync(endpoints)));
        }

        var latency = new List<(LatencyCell, LatencyCell)>();
        foreach (var endpoints in EndpointCounts)
        {
            latency.Add((await bench.DurableLatencyAsync(endpoints), await bench.ProxyLatencyAsync(endpoints)));
        }

        DeliveryReport.PrintHeader(window, synchronous, bench.Dispatcher!);
        DeliveryReport.PrintThroughput(throughput);
        DeliveryReport.PrintLatency(latency);
        DeliveryReport.PrintGoal(throughput);

        // As for intake: goals are reported; the exit code says whether the run was sound (no errors, nothing lost).
        var sound = throughput.All(r => r.Item1.Calls.Errors == 0 && r.Item2.Calls.Errors == 0 && r.Item1.Drain is not null)
            && latency.All(r => r.Item1.Errors == 0 && r.Item2.Errors == 0 && r.Item1.Missing == 0 && r.Item2.Missing == 0);
        return sound ? 0 : 1;
    }

    private static async Task<int> MeasureAsync(BenchGateway gateway, string proxyAddress, TimeSpan window, IReadOnlyList<DiskFlush> floor)
    {
        var channels = Enumerable.Range(0, MaxChannels).Select(_ => OpenChannel(gateway.Address)).ToArray();
        var proxyChannels = Enumerable.Range(0, MaxChannels).Select(_ => OpenChannel(proxyAddress)).ToArray();
        try
        {
            var health = channels.Select(c => new HealthClient(c)).ToArray();
            var referrals = channels.Select(c => new ReferralService.ReferralServiceClient(c)).ToArray();
            var proxied = proxyChannels.Select(c => new ReferralService.ReferralServiceClient(c)).ToArray();
            if (await VerifyAsync(health[0], referrals[0]) is { } failure)
            {
                Console.Error.WriteLine($"verification failed: {failure}");
                return 1;
            }

            // The "liveness" health service runs no check: a no-op on the same server, interceptors and middleware included.
            var noOpRequest = new HealthCheckRequest { Service = Gateway.Hosting.GatewayServiceCollectionExtensions.LivenessService };
            Task NoOp(int i, int used, CancellationToken ct) =>
                health[i % used].CheckAsync(noOpRequest, Options(ct)).ResponseAsync;
            Task Referral(int i, int used, CancellationToken ct) =>
                referrals[i % used].SubmitReferralAsync(ReferralFactory.Create(), Options(ct)).ResponseAsync;
            Task Proxied(int i, int used, CancellationToken ct) =>
                proxied[i % used].SubmitReferralAsync(ReferralFactory.Create(), Options(ct)).ResponseAsync;

            // Before the first cell, every RPC runs unmeasured at the highest load until tiered compilation has settled:
            // without it the first cells measured the JIT (see JitWarmUp).
            var top = Concurrencies.Max();
            var topUsed = Math.Min(top, MaxChannels);
            var (warmUpTook, settled) = await JitWarmUp.RunAsync(top, [(i, ct) => NoOp(i, topUsed, ct), (i, ct) => Referral(i, topUsed, ct), (i, ct) => Proxied(i, topUsed, ct)]);
            Report.PrintWarmUp(warmUpTook, settled);

            var rows = new List<Row>();
            using var stages = new RequestStages(gateway.StoreMetrics.Meter);
            foreach (var callers in Concurrencies)
            {
                // Caller i always uses the same channel, so each connection carries callers/channels streams.
                var used = Math.Min(callers, MaxChannels);
                var noOp = await LoadRunner.RunAsync(callers, WarmUp, window, (i, ct) => NoOp(i, used, ct));
                var (commitsBefore, flushesBefore) = (gateway.CommitCount, gateway.FlushCount);
                stages.Restart();
                var referral = await LoadRunner.RunAsync(callers, WarmUp, window, (i, ct) => Referral(i, used, ct));
                var (commits, flushes, summary) = (gateway.CommitCount - commitsBefore, gateway.FlushCount - flushesBefore, stages.Summary());
                var proxy = await LoadRunner.RunAsync(callers, WarmUp, window, (i, ct) => Proxied(i, used, ct));
                rows.Add(new Row(noOp, referral, proxy, commits, flushes, summary));
            }

            Report.PrintTable(rows);
            Report.PrintStore(gateway);
            Report.PrintGoals(rows, floor);

            // Goals are reported, not enforced: the exit code says only whether the run itself was sound.
            return rows.Any(r => r.NoOp.Errors > 0 || r.Referral.Errors > 0 || r.Proxy.Errors > 0) ? 1 : 0;
        }
        finally
        {
            foreach (var channel in channels.Concat(proxyChannels))
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>Checks once that the scenario is really accepted, so the numbers are not those of fast refusals.</summary>
    private static async Task<string?> VerifyAsync(HealthClient health, ReferralService.ReferralServiceClient referrals)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var status = await health.CheckAsync(new HealthCheckRequest(), Options(timeout.Token));
            if (status.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return $"health is {status.Status}";
            }

            var request = ReferralFactory.Create();
            var receipt = (await referrals.SubmitReferralAsync(request, Options(timeout.Token))).Receipt;
            if (receipt is null
                || receipt.MessageId != request.Header.MessageId
                || receipt.State != Interagency.V1.MessageState.Accepted
                || !receipt.ResolvedRecipients.SequenceEqual(["CN/FJPSD"]))
            {
                return $"unexpected receipt {receipt}";
            }

            return null;
        }
        catch (RpcException error)
        {
            return $"{error.StatusCode}: {error.Status.Detail}";
        }
    }

    private static CallOptions Options(CancellationToken cancellationToken) =>
        new(headers: ReferralFactory.CallerHeaders, cancellationToken: cancellationToken);

    /// <param name="tls">For an https address: the client certificate and how the server's is checked.</param>
    internal static GrpcChannel OpenChannel(string address, SslClientAuthenticationOptions? tls = null) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            // One connection per channel, so the channel count is the connection count.
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                SslOptions = tls ?? new SslClientAuthenticationOptions(),
            },
            DisposeHttpClient = true,
        });

    private static bool TryParse(string[] args, out int seconds, out string synchronous, out string scenario, out string? problem)
    {
        seconds = 5;
        synchronous = "FULL";
        scenario = "all";
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 600:
                    seconds = s;
                    i++;
                    break;
                case "--synchronous" when value?.ToUpperInvariant() is "FULL" or "NORMAL" or "EXTRA":
                    synchronous = value.ToUpperInvariant();
                    i++;
                    break;
                case "--scenario" when value?.ToLowerInvariant() is "intake" or "delivery" or "backlog" or "streams" or "trace" or "flood" or "encryption" or "tls" or "store" or "postgres" or "all":
                    scenario = value.ToLowerInvariant();
                    i++;
                    break;
                case "--message-ids" when value?.ToLowerInvariant() is "random" or "time-ordered":
                    ReferralFactory.TimeOrderedIds = value.ToLowerInvariant() == "time-ordered";
                    i++;
                    break;
                case "--case-references" when value?.ToLowerInvariant() is "one" or "unique":
                    ReferralFactory.UniqueCaseReferences = value.ToLowerInvariant() == "unique";
                    i++;
                    break;
                case "--telemetry" when value?.ToLowerInvariant() is "on" or "off":
                    Telemetry = value.ToLowerInvariant() == "on" ? new BenchTelemetry() : null;
                    i++;
                    break;
                case "--encryption" when value?.ToLowerInvariant() is "on" or "off":
                    EncryptionBench.Enabled = value.ToLowerInvariant() == "on";
                    i++;
                    break;
                case "--trace-sizes" when TryParseSizes(value, out var sizes):
                    TraceSizes = sizes;
                    i++;
                    break;
                case "--postgres" when !string.IsNullOrWhiteSpace(value):
                    PostgresServer = value;
                    i++;
                    break;
                case "--callers" when TryParseCallers(value, out var callers):
                    (Concurrencies, TlsConcurrencies) = (callers, callers);
                    i++;
                    break;
                default:
                    problem = $"unknown or invalid argument '{args[i]}'";
                    return false;
            }
        }

        return true;
    }

    // One intake row per count, for profiling or timing a single load without the others.
    private static bool TryParseSizes(string? value, out int[] sizes)
    {
        sizes = [];
        foreach (var part in value?.Split(',') ?? [])
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1000 or > 10_000_000)
            {
                return false;
            }

            sizes = [.. sizes, n];
        }

        return sizes.Length > 0;
    }

    private static bool TryParseCallers(string? value, out int[] callers)
    {
        callers = [];
        var parts = value?.Split(',') ?? [];
        var counts = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 1000)
            {
                return false;
            }

            counts.Add(n);
        }

        callers = [.. counts];
        return callers.Length > 0;
    }
}
