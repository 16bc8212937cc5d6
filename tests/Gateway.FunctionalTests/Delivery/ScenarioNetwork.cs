using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared.Postgres;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// The gateway and a PartnerSim for every agency the scenarios of DESIGN.md section 1 involve, shared by their tests;
/// the concrete class says which store the gateway runs on.
/// </summary>
public abstract class ScenarioNetwork : IAsyncLifetime
{
    public static readonly string[] Agencies = ["CN/MPS", "CN/FJPSD", "CN/PLO-RU", "CN/PLO-TH", "RU/MVD", "US/FBI"];

    private DeliveryNetwork? _network;

    public DeliveryNetwork Network => _network ?? throw new InvalidOperationException("The scenarios' network was not started.");

    public abstract Task InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
    }

    /// <summary>Starts the network, its gateway on <paramref name="postgresConnectionString"/>'s database (null: on SQLite).</summary>
    protected async Task StartAsync(string? postgresConnectionString) =>
        _network = await DeliveryNetwork.StartAsync(postgresConnectionString, Agencies);
}

/// <summary>The scenarios' network with the gateway on its embedded SQLite file, the default.</summary>
public sealed class SqliteScenarioNetwork : ScenarioNetwork
{
    public override Task InitializeAsync() => StartAsync(null);
}

/// <summary>
/// The scenarios' network with the gateway on a PostgreSQL database of its own. xunit builds a class's fixture even when
/// every test of the class is skipped: without a server it starts nothing, and the tests skip with the reason.
/// </summary>
public sealed class PostgresScenarioNetwork : ScenarioNetwork
{
    private PostgresTestDatabase? _database;

    public override async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _database = await PostgresTestDatabase.CreateAsync();
        await StartAsync(_database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
