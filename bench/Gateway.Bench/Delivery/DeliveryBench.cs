using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;
using Microsoft.Extensions.Configuration;

namespace Gateway.Bench.Delivery;

/// <summary>Sustained throughput of one path with a number of endpoints: calls answered, and messages applied at the endpoints.</summary>
public sealed record ThroughputCell(int Endpoints, Measurement Calls, long DeliveredInWindow, TimeSpan Window, TimeSpan? Drain)
{
    /// <summary>Messages applied at the endpoints inside the measured window, per second.</summary>
    public double DeliveredPerSecond => DeliveredInWindow / Window.TotalSeconds;

    /// <summary>
    /// What the path sustains end to end: the lower of accepted/s and delivered/s in the window. Delivered alone would
    /// credit a backlog built during warm-up and drained in the window; accepted alone, one left behind at its end.
    /// </summary>
    public double SustainedPerSecond => Math.Min(Calls.CallsPerSecond, DeliveredPerSecond);

    /// <summary>
    /// The whole machine's busy CPU (gateway or proxy, load generator, endpoints) per message sustained, in
    /// microseconds: against the cores, what no scheduling of this path could beat.
    /// </summary>
    public double MachineCpuMicrosPerMessage => Calls.MachineBusy.TotalMicroseconds / (SustainedPerSecond * Window.TotalSeconds);
}

/// <summary>Latency of one path at a fixed rate: submit to applied at the endpoint, and the caller's round trip.</summary>
public sealed record LatencyCell(int Endpoints, double Rate, int Sent, int Missing, double[] SortedEndToEndMs, double[] SortedAnswerMs, long Errors, string? FirstError);

/// <summary>
/// The store-and-forward scenario: the real gateway delivering to PartnerSim processes, next to a plain forwarding
/// proxy measured in the same run against fresh PartnerSims of its own. Every cell starts its own endpoints (empty
/// inboxes) and its own gateway (empty store), so no cell inherits another's backlog.
/// </summary>
public sealed class DeliveryBench(DirectoryInfo dataDir, string synchronous, TimeSpan window)
{
    /// <summary>The sender: the Interpol NCB in Beijing may send referrals to any CN agency (route CN/NCB -> CN).</summary>
    public const string Sender = "CN/NCB";

    /// <summary>Recipients, spread evenly: the first for 1 endpoint, all three for 3.</summary>
    public static readonly string[] Recipients = ["CN/FJPSD", "CN/MPS", "CN/PLO-RU"];

    public const int Callers = 64;
    public const double LatencyRate = 200;
    // Every cell starts fresh PartnerSim processes, and a fresh .NET process recompiles its hot methods in the background
    // (tiered compilation) for longer than a shorter warm-up under this load (docs/tuning-figures.md).
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);
    private const int MaxChannels = 4;

    private static readonly Metadata Headers = ReferralFactory.HeadersFor(Sender);
    private long _sequence;

    /// <summary>The dispatcher's settings of the last gateway started, for the report.</summary>
    public Gateway.Delivery.DeliveryOptions? Dispatcher { get; private set; }

    private int _cell;

    /// <summary>Closed loop at <see cref="Callers"/> callers into the gateway; counts what the endpoints applied inside the window.</summary>
    public async Task<ThroughputCell> DurableThroughputAsync(int endpoints)
    {
        await using var sims = await PartnerSimSet.StartAsync(Recipients[..endpoints], dataDir);
        await using var gateway = await StartGatewayAsync(sims);
        return await ThroughputAsync(endpoints, sims, gateway.Address);
    }

    /// <summary>The same load through the forwarding proxy, against fresh endpoints.</summary>
    public async Task<ThroughputCell> ProxyThroughputAsync(int endpoints)
    {
        await using var sims = await PartnerSimSet.StartAsync(Recipients[..endpoints], dataDir);
        await using var proxy = await ForwardingProxy.StartAsync(sims.Endpoints.ToDictionary(e => e.Agency, e => e.Address));
        return await ThroughputAsync(endpoints, sims, proxy.Address);
    }

    public async Task<LatencyCell> DurableLatencyAsync(int endpoints)
    {
        await using var sims = await PartnerSimSet.StartAsync(Recipients[..endpoints], dataDir);
        await using var gateway = await StartGatewayAsync(sims);
        return await LatencyAsync(endpoints, sims, gateway.Address);
    }

    public async Task<LatencyCell> ProxyLatencyAsync(int endpoints)
    {
        await using var sims = await PartnerSimSet.StartAsync(Recipients[..endpoints], dataDir);
        await using var proxy = await ForwardingProxy.StartAsync(sims.Endpoints.ToDictionary(e => e.Agency, e => e.Address));
        return await LatencyAsync(endpoints, sims, proxy.Address);
    }

    private async Task<ThroughputCell> ThroughputAsync(int endpoints, PartnerSimSet sims, string address)
    {
        var channels = Enumerable.Range(0, MaxChannels).Select(_ => Program.OpenChannel(address)).ToArray();
        try
        {
            var clients = channels.Select(c => new ReferralService.ReferralServiceClient(c)).ToArray();
            await VerifyAsync(clients[0], endpoints);
            var calls = await LoadRunner.RunAsync(Callers, WarmUp, window, (i, ct) =>
                clients[i % MaxChannels].SubmitReferralAsync(Next(endpoints), new CallOptions(Headers, cancellationToken: ct)).ResponseAsync);

            // Everything answered must reach the endpoints; how long that takes after the load stops is the backlog.
            var drain = await sims.WaitForAppliedAsync(1 + calls.Completed, DrainTimeout);
            var delivered = sims.AppliedAt().Values.LongCount(at => at >= calls.WindowStart && at < calls.WindowEnd);
            return new ThroughputCell(endpoints, calls, delivered, window, drain);
        }
        finally
        {
            DisposeAll(channels);
        }
    }

    private async Task<LatencyCell> LatencyAsync(int endpoints, PartnerSimSet sims, string address)
    {
        var channels = Enumerable.Range(0, MaxChannels).Select(_ => Program.OpenChannel(address)).ToArray();
        try
        {
            var clients = channels.Select(c => new ReferralService.ReferralServiceClient(c)).ToArray();
            await VerifyAsync(clients[0], endpoints);
            var next = 0;
            var result = await OpenLoopRunner.RunAsync(LatencyRate, WarmUp, window, ct =>
            {
                var request = Next(endpoints);
                var client = clients[Interlocked.Increment(ref next) % MaxChannels];
                return (request.Header.MessageId, client.SubmitReferralAsync(request, new CallOptions(Headers, cancellationToken: ct)).ResponseAsync);
            });

            await sims.WaitForAppliedAsync(1 + result.Completed, DrainTimeout);
            var applied = sims.AppliedAt();
            var endToEnd = new List<double>(result.Sent.Count);
            foreach (var call in result.Sent)
            {
                if (applied.TryGetValue(call.MessageId, out var at))
                {
                    endToEnd.Add((at - call.SentAt).TotalMilliseconds);
                }
            }

            endToEnd.Sort();
            var answers = result.Sent.Select(c => c.AnswerTicks * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            return new LatencyCell(endpoints, LatencyRate, result.Sent.Count, result.Sent.Count - endToEnd.Count, [.. endToEnd], answers, result.Errors, result.FirstError);
        }
        finally
        {
            DisposeAll(channels);
        }
    }

    /// <summary>One message per case (the store delivers one open message per recipient and case at a time), recipients in turn.</summary>
    private SubmitReferralRequest Next(int endpoints)
    {
        var n = Interlocked.Increment(ref _sequence);
        return ReferralFactory.Create(Sender, Recipients[n % endpoints], string.Create(CultureInfo.InvariantCulture, $"BENCH-{n:D9}"));
    }

    /// <summary>A fresh store per cell, and the directory's endpoints of the recipients pointed at this cell's PartnerSims.</summary>
    private async Task<BenchGateway> StartGatewayAsync(PartnerSimSet sims)
    {
        var indexes = AgencyIndexes();
        var settings = new List<string>();
        foreach (var endpoint in sims.Endpoints)
        {
            settings.Add($"--Gateway:Directory:Agencies:{indexes[endpoint.Agency]}:Endpoint={endpoint.Address}");
        }

        var path = Path.Combine(dataDir.FullName, string.Create(CultureInfo.InvariantCulture, $"delivery-{Interlocked.Increment(ref _cell)}.db"));
        var gateway = await BenchGateway.StartAsync(path, synchronous, settings);
        Dispatcher = gateway.Delivery;
        foreach (var endpoint in sims.Endpoints.Where(e => gateway.EndpointOf(e.Agency) != new Uri(e.Address)))
        {
            await gateway.DisposeAsync();
            throw new InvalidOperationException($"The gateway's directory does not send {endpoint.Agency} to {endpoint.Address}.");
        }

        return gateway;
    }

    /// <summary>Each agency's index in the gateway's appsettings.json, where endpoints are configured by index.</summary>
    internal static Dictionary<string, int> AgencyIndexes()
    {
        var agencies = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").Build()
            .GetSection("Gateway:Directory:Agencies").GetChildren();
        return agencies.ToDictionary(a => a["Id"]!, a => int.Parse(a.Key, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    /// <summary>One referral first, checked, so the numbers are not those of fast refusals.</summary>
    private async Task VerifyAsync(ReferralService.ReferralServiceClient client, int endpoints)
    {
        var request = Next(endpoints);
        var response = await client.SubmitReferralAsync(request, new CallOptions(Headers, deadline: DateTime.UtcNow.AddSeconds(30)));
        if (response.Receipt is not { } receipt || receipt.MessageId != request.Header.MessageId || receipt.State != MessageState.Accepted
            || !receipt.ResolvedRecipients.SequenceEqual(request.Header.Recipients))
        {
            throw new InvalidOperationException($"unexpected receipt {response.Receipt}");
        }
    }

    private static void DisposeAll(GrpcChannel[] channels)
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }
}
