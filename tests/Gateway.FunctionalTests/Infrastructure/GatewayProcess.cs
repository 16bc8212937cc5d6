using System.Text.RegularExpressions;
using Gateway.Tests.Shared;
using Grpc.Net.Client;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// The gateway as its own operating-system process, started from its build output on a free 127.0.0.1
/// port, so that it can be killed for real.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private GatewayProcess(ChildProcess process)
    {
        _process = process;
        Address = process.Listening.Groups[1].Value;
        Channel = GrpcChannel.ForAddress(Address);
    }

    /// <summary>Agency limits no test's load reaches.</summary>
    private static readonly string[] Unlimited =
        ["--Gateway:AgencyLimits:Default:PermitsPerSecond=1000000", "--Gateway:AgencyLimits:Default:Burst=1000000", "--Gateway:AgencyLimits:Default:MaxConcurrentStreams=10000"];

    /// <summary>Arguments for a gateway that accepts and stores but delivers nothing (its sample endpoints are not running).</summary>
    public static readonly string[] IntakeOnly = ["--Gateway:Delivery:Enabled=false"];

    public string Address { get; }

    public GrpcChannel Channel { get; }

    public int Id => _process.Id;

    /// <summary>Everything the gateway wrote to stdout and stderr so far, for diagnostics.</summary>
    public string Output => _process.Output;

    /// <summary>
    /// Starts the gateway on <paramref name="databasePath"/>; <paramref name="extraArgs"/> go on its command line
    /// after the defaults, so they can override configuration (e.g. <c>--Gateway:Directory:...=...</c>).
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(string databasePath, params string[] extraArgs)
    {
        // Tests send as fast as they can as one agency: no agency limit may refuse them (Limits/ tests the limits).
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Gateway:Storage:Sqlite:Path={databasePath}", .. Unlimited, .. extraArgs];
        return new GatewayProcess(await ChildProcess.StartAsync(GatewayDll(), ListeningLine(), args));
    }

    /// <summary>
    /// Stores <paramref name="count"/> sample referrals (no coordination hold) from CN/PLO-RU to CN/FJPSD under
    /// <paramref name="caseReference"/> with a gateway that delivers nothing, stopped afterwards: a gateway started next on
    /// <paramref name="databasePath"/> finds the case's messages waiting and claims them in one run.
    /// </summary>
    /// <returns>Their message ids, in the order sent.</returns>
    public static async Task<List<string>> StoreReferralsAsync(string databasePath, string caseReference, int count)
    {
        var accepted = new List<string>();
        await using var intake = await StartAsync(databasePath, IntakeOnly);
        var client = new Interagency.V1.ReferralService.ReferralServiceClient(intake.Channel);
        for (var i = 0; i < count; i++)
        {
            var referral = Samples.Referral();
            referral.Referral.Coordination = null;
            referral.Header.CaseReference = caseReference;
            await client.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
            accepted.Add(referral.Header.MessageId);
        }

        await intake.StopAsync();
        return accepted;
    }

    /// <summary>Runs the gateway executable with a command (e.g. verify-audit) to its end; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args) => ChildProcess.RunToEndAsync(GatewayDll(), args);

    /// <summary>SIGKILL: no shutdown code runs, exactly as in a crash or power cut of the process.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM: the graceful shutdown an operator's service manager would ask for.</summary>
    public Task<int> StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _process.DisposeAsync();
    }

    private static string GatewayDll() => ChildProcess.BuildOutputDll("Gateway");

    [GeneratedRegex(@"Liaison Gateway listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
