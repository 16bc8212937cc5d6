using Gateway.Core.Agencies;
using Gateway.Hosting;
using Gateway.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Intake;

/// <summary>The tests read the sample directory from the shipped appsettings.json: the gateway must bind it to the same agencies and agreements.</summary>
public class SampleConfigurationTests
{
    [Fact]
    public async Task The_configured_directory_has_the_sample_agencies_and_agreements_in_order()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-config-").FullName;
        await using var app = GatewayHost.CreateBuilder([$"--Gateway:Storage:Sqlite:Path={Path.Combine(folder, "gateway.db")}"]).Build();
        var configured = app.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory();
        var sample = SampleDirectory.Create();

        Assert.Equal(sample.Agencies.Select(Describe), configured.Agencies.Select(Describe));
        Assert.Equal(sample.Routes.Agreements.Select(a => a.ToString()), configured.Routes.Agreements.Select(a => a.ToString()));
        Directory.Delete(folder, recursive: true);
    }

    private static string Describe(Agency a) =>
        $"{a.Id} {a.Name} {a.Kind} [{string.Join(',', a.CompetentFor.Order())}] {a.PostedIn} {a.Endpoint} [{string.Join(',', a.Accepts?.Order() ?? Enumerable.Empty<Gateway.Core.Intake.MessageKind>())}]";
}
