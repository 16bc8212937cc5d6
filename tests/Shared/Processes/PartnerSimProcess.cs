using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Tests.Shared;

/// <summary>
/// The reference agency endpoint (src/Gateway.PartnerSim) as its own operating-system process on 127.0.0.1,
/// playing one agency with its inbox in a data folder; it can be killed and restarted on the same folder and port.
/// </summary>
public sealed partial class PartnerSimProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private PartnerSimProcess(ChildProcess process, string agency, string dataDirectory, PartnerSimFaults faults, PartnerSimTls? tls)
    {
        _process = process;
        Agency = agency;
        DataDirectory = dataDirectory;
        Faults = faults;
        Tls = tls;
        Address = process.Listening.Groups["address"].Value;
        Channel = tls is null ? GrpcChannel.ForAddress(Address) : GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = PinnedHandler(tls) });
        Client = new AgencyEndpointService.AgencyEndpointServiceClient(Channel);
    }

    /// <summary>The agency it plays, e.g. <c>RU/MVD</c>.</summary>
    public string Agency { get; }

    /// <summary>Folder of its inbox database and received.log.</summary>
    public string DataDirectory { get; }

    public PartnerSimFaults Faults { get; }

    /// <summary>The TLS it serves with; null for plaintext.</summary>
    public PartnerSimTls? Tls { get; }

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:40123</c> (<c>https://</c> with TLS).</summary>
    public string Address { get; }

    public int Port => new Uri(Address).Port;

    public GrpcChannel Channel { get; }

    public AgencyEndpointService.AgencyEndpointServiceClient Client { get; }

    public int Id => _process.Id;

    /// <summary>Everything it wrote to stdout and stderr so far, for diagnostics.</summary>
    public string Output => _process.Output;

    public string ReceivedLogPath => Path.Combine(DataDirectory, "received.log");

    /// <summary>
    /// Starts a PartnerSim playing <paramref name="agency"/> with its data in <paramref name="dataDirectory"/>; port 0
    /// picks a free one. <paramref name="environment"/> is added to its environment (a log level, say). With
    /// <paramref name="tls"/> it serves TLS (and its <see cref="Channel"/> accepts only its server certificate).
    /// </summary>
    public static async Task<PartnerSimProcess> StartAsync(
        string agency,
        string dataDirectory,
        PartnerSimFaults? faults = null,
        int port = 0,
        IReadOnlyDictionary<string, string>? environment = null,
        PartnerSimTls? tls = null)
    {
        faults ??= PartnerSimFaults.None;
        var scheme = tls is null ? "http" : "https";
        string[] args =
        [
            "--agency", agency,
            "--data", dataDirectory,
            "--urls", string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{port}"),
            .. faults.ToArguments(),
            .. tls?.ToArguments() ?? [],
        ];
        var process = await ChildProcess.StartAsync(Dll(), ListeningLine(), args, environment);
        return new PartnerSimProcess(process, agency, dataDirectory, faults, tls);
    }

    /// <summary>Runs the PartnerSim executable to its end (e.g. with a wrong command line); returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args) => ChildProcess.RunToEndAsync(Dll(), args);

    /// <summary>
    /// A new process for the same agency, data folder and port (so that a gateway configured with the address still
    /// reaches it), with other faults if given. This one is stopped gracefully first if it still runs; dispose both.
    /// </summary>
    public async Task<PartnerSimProcess> RestartAsync(PartnerSimFaults? faults = null)
    {
        if (!_process.HasExited)
        {
            await StopAsync();
        }

        return await StartAsync(Agency, DataDirectory, faults ?? Faults, Port, tls: Tls);
    }

    /// <summary>What its inbox holds now (read-only; works while it runs and after it stopped or was killed).</summary>
    public PartnerInbox ReadInbox() => PartnerInbox.Read(DataDirectory);

    /// <summary>The lines of received.log so far.</summary>
    public IReadOnlyList<string> ReadReceivedLog()
    {
        using var file = new FileStream(ReceivedLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly as in a crash of the agency's system.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM: graceful shutdown; returns the exit code.</summary>
    public Task<int> StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _process.DisposeAsync();
    }

    private static string Dll() => ChildProcess.BuildOutputDll("Gateway.PartnerSim");

    /// <summary>A handler that trusts exactly the server certificate the PartnerSim serves, as a test's client needs no CA for it.</summary>
    private static SocketsHttpHandler PinnedHandler(PartnerSimTls tls)
    {
        using var served = X509Certificate2.CreateFromPem(File.ReadAllText(tls.CertificatePath));
        var thumbprint = served.Thumbprint;
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => (certificate as X509Certificate2)?.Thumbprint == thumbprint },
        };
    }

    [GeneratedRegex(@"PartnerSim (?<agency>\S+) listening on (?<address>https?://\S+)")]
    private static partial Regex ListeningLine();
}
