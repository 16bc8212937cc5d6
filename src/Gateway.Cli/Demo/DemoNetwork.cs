using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Net.Client;

namespace Gateway.Cli.Demo;

/// <summary>
/// What the demo runs: one PartnerSim per agency it needs and one gateway on a store in the demo's folder, whose
/// directory sends each of those agencies' deliveries to its PartnerSim; all on 127.0.0.1, on ports the system picks,
/// started and called as its <see cref="DemoIdentity"/> says. Disposing it stops every process it started, also those
/// still starting.
/// </summary>
internal sealed partial class DemoNetwork : IAsyncDisposable
{
    private const string OtelServiceName = "OTEL_SERVICE_NAME";

    private readonly List<DemoProcess> _processes = [];
    private readonly Dictionary<string, PartnerSimEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GrpcChannel> _agencyChannels = new(StringComparer.Ordinal);
    private GrpcChannel? _operatorChannel;

    private DemoNetwork(string folder, DemoIdentity identity)
    {
        Folder = folder;
        Identity = identity;
    }

    /// <summary>The demo's folder: the gateway's store, each PartnerSim's inbox and log.</summary>
    public string Folder { get; }

    public string GatewayAddress { get; private set; } = string.Empty;

    /// <summary>How callers prove who they are; the network disposes it with itself.</summary>
    public DemoIdentity Identity { get; }

    /// <summary>The operator's channel to the gateway, once it listens.</summary>
    public GrpcChannel OperatorChannel => _operatorChannel ??= Identity.OpenChannel(ListeningGateway(), agency: null);

    public string GatewayDatabase => Path.Combine(Folder, "gateway.db");

    public PartnerSimEndpoint this[string agency] => _endpoints[agency];

    public IEnumerable<PartnerSimEndpoint> Endpoints => _endpoints.Values;

    /// <summary>Every process started so far, for a last-resort kill when the demo is torn down abruptly.</summary>
    public IReadOnlyList<DemoProcess> Processes
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>
    /// Starts the PartnerSims of <paramref name="agencies"/> side by side, then the gateway. <paramref name="started"/>
    /// receives the network before anything starts, so that a cancelled or failed start is still cleaned up.
    /// </summary>
    public static async Task StartAsync(
        RepositoryBuilds builds,
        string folder,
        DemoIdentity identity,
        IReadOnlyList<string> agencies,
        Action<DemoNetwork> started,
        CancellationToken cancellationToken)
    {
        var network = new DemoNetwork(folder, identity);
        started(network);
        var endpoints = await Task.WhenAll(agencies.Select(agency => network.StartPartnerSimAsync(builds, agency, cancellationToken)));
        foreach (var endpoint in endpoints)
        {
            network._endpoints[endpoint.Agency] = endpoint;
        }

        string[] args =
        [
            "--urls", identity.Scheme + "://127.0.0.1:0",
            $"--Gateway:Storage:Sqlite:Path={network.GatewayDatabase}",
            .. identity.GatewayArguments,
            .. EndpointOverrides(builds.GatewaySettings, endpoints),
        ];
        var gateway = await DemoProcess.StartAsync(
            "gateway", builds.GatewayDll, GatewayListening(), args, ServiceName("liaison-gateway"), network.Track, cancellationToken);
        network.GatewayAddress = gateway.Listening.Groups["address"].Value;
    }

    /// <summary><paramref name="agency"/>'s channel to the gateway, once it listens: in production mode each presents its own certificate.</summary>
    public GrpcChannel ChannelOf(string agency)
    {
        lock (_agencyChannels)
        {
            if (!_agencyChannels.TryGetValue(agency, out var channel))
            {
                _agencyChannels[agency] = channel = Identity.OpenChannel(ListeningGateway(), agency);
            }

            return channel;
        }
    }

    /// <summary>Stops the gateway first (so that it attempts no delivery to a PartnerSim already gone), then the PartnerSims together.</summary>
    public async ValueTask DisposeAsync()
    {
        _operatorChannel?.Dispose();
        lock (_agencyChannels)
        {
            foreach (var channel in _agencyChannels.Values)
            {
                channel.Dispose();
            }
        }

        var processes = Processes;
        foreach (var gateway in processes.Where(p => p.Name == "gateway"))
        {
            await gateway.DisposeAsync();
        }

        await Task.WhenAll(processes.Where(p => p.Name != "gateway").Select(p => p.DisposeAsync().AsTask()));
        Identity.Dispose();
    }

    /// <summary>
    /// Each agency's entry of the gateway's shipped directory pointed at its PartnerSim, as configuration overrides by
    /// index (the gateway reads <c>--Gateway:Directory:Agencies:N:Endpoint=URL</c> over its appsettings.json).
    /// </summary>
    internal static IEnumerable<string> EndpointOverrides(string settingsFile, IEnumerable<PartnerSimEndpoint> endpoints)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(settingsFile));
        var agencies = settings.RootElement.GetProperty("Gateway").GetProperty("Directory").GetProperty("Agencies")
            .EnumerateArray().Select(a => a.GetProperty("Id").GetString()).ToList();
        foreach (var endpoint in endpoints)
        {
            var index = agencies.IndexOf(endpoint.Agency);
            if (index < 0)
            {
                throw new DemoException($"{endpoint.Agency} is not in the gateway's directory ({settingsFile}).");
            }

            yield return string.Create(CultureInfo.InvariantCulture, $"--Gateway:Directory:Agencies:{index}:Endpoint={endpoint.Address}");
        }
    }

    // The children inherit the demo's environment, OTEL_EXPORTER_OTLP_ENDPOINT included; each is named as a service of
    // its own, so that a trace viewer tells the caller, the gateway and each endpoint apart.
    private static Dictionary<string, string> ServiceName(string name) => new(StringComparer.Ordinal) { [OtelServiceName] = name };

    private async Task<PartnerSimEndpoint> StartPartnerSimAsync(RepositoryBuilds builds, string agency, CancellationToken cancellationToken)
    {
        var data = Path.Combine(Folder, "partnersim-" + agency.Replace('/', '-').ToLowerInvariant());
        string[] args = ["--agency", agency, "--data", data, "--urls", Identity.Scheme + "://127.0.0.1:0", .. Identity.PartnerSimArguments(agency)];
        var process = await DemoProcess.StartAsync(
            $"PartnerSim {agency}",
            builds.PartnerSimDll,
            PartnerSimListening(),
            args,
            ServiceName("partnersim-" + agency.Replace('/', '-').ToLowerInvariant()),
            Track,
            cancellationToken);
        return new PartnerSimEndpoint(agency, process.Listening.Groups["address"].Value, data);
    }

    private string ListeningGateway() =>
        GatewayAddress.Length > 0 ? GatewayAddress : throw new InvalidOperationException("The gateway has not started.");

    private void Track(DemoProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }
    }

    [GeneratedRegex(@"Liaison Gateway listening on (?<address>https?://\S+)")]
    private static partial Regex GatewayListening();

    [GeneratedRegex(@"PartnerSim \S+ listening on (?<address>https?://\S+)")]
    private static partial Regex PartnerSimListening();
}

/// <summary>A PartnerSim playing one agency: where it listens and where it keeps what it received.</summary>
internal sealed record PartnerSimEndpoint(string Agency, string Address, string DataDirectory)
{
    /// <summary>
    /// How long the demo waits for a delivery before it calls the situation failed: a first delivery, which opens the
    /// connection, took up to 2.5 s on a busy 2-core machine; the rest take milliseconds.
    /// </summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public IReadOnlyList<EndpointEntry> Received() => EndpointLog.Read(DataDirectory);

    /// <summary>Polls the log until <paramref name="messageId"/> was applied here, for at most <see cref="DeliveryTimeout"/>.</summary>
    public async Task<EndpointEntry> WaitForAsync(string messageId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DeliveryTimeout);
        try
        {
            while (true)
            {
                if (Received().FirstOrDefault(e => e.MessageId == messageId && e.IsApplied) is { } entry)
                {
                    return entry;
                }

                await Task.Delay(PollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DemoException($"{Agency} did not receive message {messageId} within {DeliveryTimeout.TotalSeconds:0} seconds.");
        }
    }
}
