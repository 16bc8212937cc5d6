using Gateway.Tests.Shared;

namespace Gateway.FunctionalTests.Architecture;

/// <summary>gatewayctl is a client: it runs where only the plain .NET runtime is installed, without ASP.NET Core.</summary>
public sealed class GatewayCtlRuntimeTests
{
    [Fact]
    public void Gatewayctl_asks_for_the_plain_runtime_only()
    {
        var path = ChildProcess.BuildOutputFile("Gateway.Cli", "gatewayctl.runtimeconfig.json");

        Assert.Equal(["Microsoft.NETCore.App"], RuntimeConfig.Frameworks(path));
    }
}
