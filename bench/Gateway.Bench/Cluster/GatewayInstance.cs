using System.Text.RegularExpressions;
using Gateway.Tests.Shared;

namespace Gateway.Bench.Cluster;

/// <summary>
/// The gateway as its own operating-system process from its Release build output, on a free 127.0.0.1 port, as an
/// operator runs it (scripts/cluster.sh): so that several share a database as separate processes and one can be killed.
/// </summary>
public sealed partial class GatewayInstance : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private GatewayInstance(ChildProcess process) => _process = process;

    public string Address => _process.Listening.Groups[1].Value;

    public int Id => _process.Id;

    /// <summary>
    /// The prefix of the lease owner its dispatcher writes on the deliveries it claims (machine/process id/...), by which
    /// the failover part finds what it had in flight when it was killed.
    /// </summary>
    public string LeaseOwnerPrefix => $"{Environment.MachineName}/{Id}/";

    /// <param name="settings">More configuration after the store's, as <c>--Key=value</c> arguments.</param>
    public static async Task<GatewayInstance> StartAsync(GatewayStore store, params IEnumerable<string> settings)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            .. store.Settings,
            // Its own lines only (the listening line among them): the framework's would cost CPU under load.
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Gateway=Information", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            // One agency sends at full load; no agency limit may refuse it.
            "--Gateway:AgencyLimits:Default:PermitsPerSecond=1000000", "--Gateway:AgencyLimits:Default:Burst=1000000", "--Gateway:AgencyLimits:Default:MaxConcurrentStreams=10000",
            .. settings,
        ];
        return new GatewayInstance(await ChildProcess.StartAsync(ChildProcess.BuildOutputDll("Gateway"), ListeningLine(), args));
    }

    /// <summary>Starts <paramref name="count"/> instances on one store: the first alone (it creates the schema and the shared keys), then the rest together.</summary>
    public static async Task<GatewayInstance[]> StartManyAsync(int count, GatewayStore store, params IEnumerable<string> settings)
    {
        var first = await StartAsync(store, settings);
        var rest = Enumerable.Range(1, count - 1).Select(_ => StartAsync(store, settings)).ToArray();
        try
        {
            return [first, .. await Task.WhenAll(rest)];
        }
        catch
        {
            await first.DisposeAsync();
            foreach (var started in rest.Where(s => s.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, its leases stay in the store until they run out.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM first, so that it commits what it queued and closes its store; killed only if it does not stop in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StopAsync();
            }
        }
        catch (TimeoutException)
        {
            // Disposing kills it.
        }
        finally
        {
            await _process.DisposeAsync();
        }
    }

    /// <summary>Disposes every instance, stopping them together.</summary>
    public static Task DisposeAllAsync(IEnumerable<GatewayInstance> instances) => Task.WhenAll(instances.Select(i => i.DisposeAsync().AsTask()));

    [GeneratedRegex(@"Liaison Gateway listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
