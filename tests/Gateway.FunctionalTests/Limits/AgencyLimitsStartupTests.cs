using Gateway.FunctionalTests.Hosting;
using Gateway.Hosting;

namespace Gateway.FunctionalTests.Limits;

/// <summary>A bad setting of Gateway:AgencyLimits stops the gateway at start-up with one line naming the setting.</summary>
public sealed class AgencyLimitsStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-limits-start-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("--Gateway:AgencyLimits:Agencies:XX/NOBODY:PermitsPerSecond=5", "Gateway:AgencyLimits:Agencies:XX/NOBODY names no agency of the directory")]
    [InlineData("--Gateway:AgencyLimits:Default:Burst=0", "Gateway:AgencyLimits:Default:Burst must be a positive number.")]
    [InlineData("--Gateway:AgencyLimits:Agencies:RU/MVD:MaxMessageBytes:Referal=1000", "Gateway:AgencyLimits:Agencies:RU/MVD:MaxMessageBytes:Referal is not a message kind an agency sends")]
    public async Task An_invalid_limit_is_one_line_naming_the_setting_and_exit_code_1(string setting, string expected)
    {
        var attempt = await GatewayStartAttempt.RunAsync(
            Path.Combine(_folder, "gateway.db"), new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0", setting);

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.StartsWith("Liaison Gateway cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
