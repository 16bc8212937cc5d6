using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.FunctionalTests.PartnerSim;

/// <summary>A wrong command line stops the simulator before it listens, with exit code 2 and what to fix.</summary>
public sealed class PartnerSimCommandLineTests
{
    [Theory]
    [InlineData("--agency", "ru", "--agency")]
    [InlineData("--agency", "RU/MVD", "--urls", "http://0.0.0.0:5091", "loopback")]
    [InlineData("--agency", "RU/MVD", "--fail-percent", "101", "--fail-percent")]
    [InlineData("--agency", "RU/MVD", "--colour", "red", "--colour")]
    [InlineData("--agency", "RU/MVD", "--refuse", "referal", "--refuse")]
    [InlineData("--agency", "RU/MVD", "--refuse-reason", "tired", "--refuse-reason")]
    [InlineData("--agency", "RU/MVD", "--refuse", "referral", "--clarify", "Referral,location_request", "referral")]
    public async Task Wrong_command_line_exits_2_and_says_what_is_wrong(params string[] argsThenExpected)
    {
        var (exitCode, output) = await PartnerSimProcess.RunToEndAsync(argsThenExpected[..^1]);

        Assert.Equal(2, exitCode);
        Assert.Contains(argsThenExpected[^1], output, StringComparison.Ordinal);
        Assert.Contains("usage:", output, StringComparison.Ordinal);
    }
}
