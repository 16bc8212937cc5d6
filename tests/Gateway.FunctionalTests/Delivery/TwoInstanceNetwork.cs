using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared.Postgres;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// Two gateway processes on one PostgreSQL database of their own, with PartnerSims: A delivers but polls for work only
/// every <see cref="IdlePoll"/>, so whatever it delivers sooner it was woken to by a commit; B accepts and delivers nothing.
/// xunit builds a class's fixture even when its tests are skipped: without a server it starts nothing.
/// </summary>
public sealed class TwoInstanceNetwork : IAsyncLifetime
{
    public static readonly string[] Agencies = ["CN/MPS", "CN/FJPSD", "CN/PLO-RU", "RU/MVD"];

    /// <summary>Far longer than any wait of the tests, so that no delivery they see comes from A's own poll.</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromMinutes(5);

    private PostgresTestDatabase? _database;
    private DeliveryNetwork? _network;
    private GatewayProcess? _b;

    public DeliveryNetwork Network => _network ?? throw new InvalidOperationException("The two instances were not started.");

    public GatewayProcess A => Network.Gateway;

    public GatewayProcess B => _b ?? throw new InvalidOperationException("The two instances were not started.");

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        _database = await PostgresTestDatabase.CreateAsync();
        // A PartnerSim's first answer can take longer than the network's 5 s on a loaded machine; a retry would be noise here.
        _network = await DeliveryNetwork.StartAsync(
            _database.ConnectionString, Agencies, null, $"--Gateway:Delivery:IdlePoll={IdlePoll:c}", "--Gateway:Delivery:Timeout=00:00:30");
        _b = await _network.StartAnotherGatewayAsync(GatewayProcess.IntakeOnly);
    }

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
