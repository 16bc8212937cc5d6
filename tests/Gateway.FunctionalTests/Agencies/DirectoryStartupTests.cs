using Gateway.Agencies;
using Gateway.FunctionalTests.Hosting;
using Gateway.Hosting;

namespace Gateway.FunctionalTests.Agencies;

/// <summary>A directory that fails validation at start-up stops the gateway with one line naming what to change.</summary>
public sealed class DirectoryStartupTests : IDisposable
{
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("gateway-directory-start-").FullName;

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("--Gateway:Directory:Routes:3:MaxHandling=H9", "Route 3 ('Domestic' -> 'ForeignPartner'): MaxHandling must be H0, H1, H2 or H3")]
    [InlineData("--Gateway:Directory:Routes:3:From=CN/XYZ", "Route 3 ('CN/XYZ' -> 'ForeignPartner'): From names agency 'CN/XYZ', which is not in the directory.")]
    [InlineData("--Gateway:Directory:Agencies:1:Endpoint=127.0.0.1:5092", "Agency 'CN/FJPSD': Endpoint must be an absolute http or https URL")]
    [InlineData("--Gateway:Directory:Agencies:1:Kind=Police", "Agency 'CN/FJPSD' needs a Kind: Domestic, LiaisonOffice, ForeignPartner, InterpolNcb.")]
    [InlineData("--Gateway:Directory:Agencies:0:CompetentFor:1=Referal", "Agency 'CN/MPS': CompetentFor: 'Referal' is not a message kind")]
    public async Task An_invalid_directory_is_one_line_and_exit_code_1(string setting, string expected)
    {
        await AssertRefusedAsync(expected, setting);
    }

    [Fact]
    public async Task A_directory_file_that_does_not_exist_is_one_line_and_exit_code_1()
    {
        var missing = Path.Combine(_folder, "directory.json");

        await AssertRefusedAsync($"The directory file {missing} does not exist.", $"--{DirectorySource.FileKey}={missing}");
    }

    private async Task AssertRefusedAsync(string expected, string setting)
    {
        var attempt = await GatewayStartAttempt.RunAsync(DatabasePath, new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0", setting);

        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        var line = Assert.Single(attempt.PlainLines);
        Assert.StartsWith("Liaison Gateway cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", attempt.Output, StringComparison.Ordinal);
    }
}
