using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.Tests.Shared;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// A gateway process and one PartnerSim process per agency named, all on 127.0.0.1: the sample directory with each
/// of those agencies' endpoints pointed at its PartnerSim, and retries fast enough for tests.
/// </summary>
public sealed class DeliveryNetwork : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-network-").FullName;
    private readonly Dictionary<string, PartnerSimProcess> _endpoints = new(StringComparer.Ordinal);
    private readonly List<string> _gatewayArgs = [];
    private readonly List<GatewayProcess> _instances = [];

    private DeliveryNetwork(string? postgresConnectionString) => PostgresConnectionString = postgresConnectionString;

    public GatewayProcess Gateway { get; private set; } = null!;

    /// <summary>
    /// The SQLite file, or with PostgreSQL the file beside which every instance finds the same development data and
    /// receipt keys (they must share them to read each other's sealed rows).
    /// </summary>
    public string DatabasePath => Path.Combine(_folder, "gateway.db");

    /// <summary>The database the gateways share, when they run on PostgreSQL; null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>The store as <see cref="GatewayDatabase"/> reads it: the SQLite file, or the PostgreSQL database.</summary>
    public string Store => PostgresConnectionString ?? DatabasePath;

    public PartnerSimProcess this[string agency] => _endpoints[agency];

    /// <summary>
    /// Starts PartnerSims for <paramref name="agencies"/> (faults per agency from <paramref name="faults"/>), then the
    /// gateway delivering to them; <paramref name="gatewayArgs"/> override its configuration.
    /// </summary>
    public static Task<DeliveryNetwork> StartAsync(
        IEnumerable<string> agencies, IReadOnlyDictionary<string, PartnerSimFaults>? faults = null, params string[] gatewayArgs) =>
        StartAsync(null, agencies, faults, gatewayArgs);

    /// <summary>
    /// Like <see cref="StartAsync(IEnumerable{string}, IReadOnlyDictionary{string, PartnerSimFaults}?, string[])"/>, with
    /// the gateway on the PostgreSQL database of <paramref name="postgresConnectionString"/> (null: on its SQLite file).
    /// </summary>
    public static async Task<DeliveryNetwork> StartAsync(
        string? postgresConnectionString, IEnumerable<string> agencies, IReadOnlyDictionary<string, PartnerSimFaults>? faults = null, params string[] gatewayArgs)
    {
        var network = new DeliveryNetwork(postgresConnectionString);
        try
        {
            var started = await Task.WhenAll(agencies.Select(agency => PartnerSimProcess.StartAsync(
                agency,
                Path.Combine(network._folder, agency.Replace('/', '-')),
                faults is not null && faults.TryGetValue(agency, out var f) ? f : null)));
            foreach (var endpoint in started)
            {
                network._endpoints[endpoint.Agency] = endpoint;
            }

            if (postgresConnectionString is not null)
            {
                network._gatewayArgs.AddRange(["--Gateway:Storage:Provider=Postgres", $"--Gateway:Storage:Postgres:ConnectionString={postgresConnectionString}"]);
            }

            network._gatewayArgs.AddRange(EndpointArgs(network._endpoints));
            network._gatewayArgs.AddRange(
            [
                "--Gateway:Delivery:Retry:BaseDelay=00:00:00.050",
                "--Gateway:Delivery:Retry:MaxDelay=00:00:00.500",
                "--Gateway:Delivery:IdlePoll=00:00:00.250",
                "--Gateway:Delivery:Timeout=00:00:05",
            ]);
            network._gatewayArgs.AddRange(gatewayArgs);
            network.Gateway = await GatewayProcess.StartAsync(network.DatabasePath, [.. network._gatewayArgs]);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILLs the gateway and starts it again on the same data and configuration.</summary>
    public async Task RestartGatewayAfterKillAsync()
    {
        await Gateway.KillAsync();
        await Gateway.DisposeAsync();
        Gateway = await GatewayProcess.StartAsync(DatabasePath, [.. _gatewayArgs]);
    }

    /// <summary>
    /// Starts one more gateway instance on the same store, endpoints and configuration (PostgreSQL only: a SQLite file
    /// has one gateway), stopped with the network; <paramref name="extraArgs"/> override its configuration.
    /// </summary>
    public async Task<GatewayProcess> StartAnotherGatewayAsync(params string[] extraArgs)
    {
        if (PostgresConnectionString is null)
        {
            throw new InvalidOperationException("Only gateways on PostgreSQL share a store.");
        }

        var instance = await GatewayProcess.StartAsync(DatabasePath, [.. _gatewayArgs, .. extraArgs]);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>SIGKILLs <paramref name="instance"/> (one <see cref="StartAnotherGatewayAsync"/> started) and starts it again.</summary>
    public async Task<GatewayProcess> RestartAfterKillAsync(GatewayProcess instance, params string[] extraArgs)
    {
        await instance.KillAsync();
        await instance.DisposeAsync();
        _instances.Remove(instance);
        return await StartAnotherGatewayAsync(extraArgs);
    }

    /// <summary>Starts <paramref name="agency"/>'s PartnerSim again on its data and port (stopping it first if it runs).</summary>
    public async Task RestartEndpointAsync(string agency, PartnerSimFaults? faults = null)
    {
        var old = _endpoints[agency];
        _endpoints[agency] = await old.RestartAsync(faults);
        await old.DisposeAsync();
    }

    /// <summary>Waits until <paramref name="agency"/>'s inbox holds at least <paramref name="count"/> applied messages, and returns it.</summary>
    public Task<PartnerInbox> WaitForInboxAsync(string agency, int count, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(
            () => _endpoints[agency].ReadInbox(),
            inbox => inbox.Applied.Count >= count,
            $"{count} messages applied at {agency}",
            timeout);

    /// <summary>Asserts that each case's messages were applied at the endpoint in the order the gateway accepted them.</summary>
    public void AssertCasesAppliedInAcceptedOrder(PartnerInbox inbox)
    {
        foreach (var (caseReference, accepted) in GatewayDatabase.MessagesByCase(Store))
        {
            var applied = inbox.Applied.Where(e => e.CaseReference == caseReference).OrderBy(e => e.Sequence).Select(e => e.MessageId);
            Assert.Equal(accepted, applied);
        }
    }

    /// <summary>Stops every process it started, even when stopping one of them fails, then removes the data.</summary>
    public async ValueTask DisposeAsync()
    {
        var processes = new List<IAsyncDisposable>(_instances);
        if (Gateway is not null)
        {
            processes.Insert(0, Gateway);
        }

        processes.AddRange(_endpoints.Values);

        var failures = new List<Exception>();
        foreach (var process in processes)
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception error) when (error is InvalidOperationException or IOException)
            {
                failures.Add(error);
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping the test network failed.", failures);
        }
    }

    /// <summary>Configuration overrides pointing each agency's directory entry at its PartnerSim, found by id in the sample configuration.</summary>
    private static IEnumerable<string> EndpointArgs(Dictionary<string, PartnerSimProcess> endpoints)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
            .Build();
        var agencies = configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>()!.Agencies;
        foreach (var (agency, endpoint) in endpoints)
        {
            var index = agencies.FindIndex(a => a.Id == agency);
            if (index < 0)
            {
                throw new ArgumentException($"{agency} is not in the sample directory.");
            }

            yield return string.Create(CultureInfo.InvariantCulture, $"--{DirectoryOptions.Section}:Agencies:{index}:Endpoint={endpoint.Address}");
        }
    }
}
