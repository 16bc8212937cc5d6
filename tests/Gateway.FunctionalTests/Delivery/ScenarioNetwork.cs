using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>The gateway and a PartnerSim for every agency the scenarios of DESIGN.md section 1 involve, shared by their tests.</summary>
public sealed class ScenarioNetwork : IAsyncLifetime
{
    public static readonly string[] Agencies = ["CN/MPS", "CN/FJPSD", "CN/PLO-RU", "CN/PLO-TH", "RU/MVD", "US/FBI"];

    public DeliveryNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync() => Network = await DeliveryNetwork.StartAsync(Agencies);

    public async Task DisposeAsync() => await Network.DisposeAsync();
}
