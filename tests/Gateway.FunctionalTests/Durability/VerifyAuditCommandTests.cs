using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Data.Sqlite;

namespace Gateway.FunctionalTests.Durability;

/// <summary>The operator's <c>Gateway verify-audit</c> command, run as a process on a database file edited behind the gateway's back.</summary>
public sealed class VerifyAuditCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-verify-").FullName;

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    public async Task InitializeAsync()
    {
        await using var gateway = await GatewayProcess.StartAsync(DatabasePath, GatewayProcess.IntakeOnly);
        var client = new ReferralService.ReferralServiceClient(gateway.Channel);
        for (var i = 0; i < 4; i++)
        {
            var request = Samples.Referral();
            await client.SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender));
        }

        Assert.Equal(0, await gateway.StopAsync());
    }

    [Fact]
    public async Task Reports_an_intact_log_and_then_the_position_of_an_edit()
    {
        var intact = await GatewayProcess.RunCommandAsync("verify-audit", $"--Gateway:Storage:Sqlite:Path={DatabasePath}");
        Assert.Equal(0, intact.ExitCode);
        // The directory in effect at start-up, then the four acceptances.
        Assert.Contains("audit log intact: 5 entries verified", intact.Output);

        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_append_only_update; UPDATE audit SET actor = 'US/FBI' WHERE seq = 3;";
            command.ExecuteNonQuery();
        }

        var broken = await GatewayProcess.RunCommandAsync("verify-audit", $"--Gateway:Storage:Sqlite:Path={DatabasePath}");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("audit log BROKEN at entry 3", broken.Output);
    }

    [Fact]
    public async Task Verifies_a_store_while_a_gateway_runs_on_it()
    {
        await using var gateway = await GatewayProcess.StartAsync(DatabasePath, GatewayProcess.IntakeOnly);
        var request = Samples.Referral();
        await new ReferralService.ReferralServiceClient(gateway.Channel).SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender));

        var (exitCode, output) = await GatewayProcess.RunCommandAsync("verify-audit", $"--Gateway:Storage:Sqlite:Path={DatabasePath}");

        Assert.Equal(0, exitCode);
        // Two start-ups, each auditing its directory, and five acceptances.
        Assert.Contains("audit log intact: 7 entries verified", output);
        Assert.Equal(0, await gateway.StopAsync());
    }

    [Fact]
    public async Task A_path_with_no_store_is_reported_and_nothing_is_created()
    {
        var missing = Path.Combine(_folder, "nothing-here.db");

        var (exitCode, output) = await GatewayProcess.RunCommandAsync("verify-audit", $"--Gateway:Storage:Sqlite:Path={missing}");

        Assert.Equal(2, exitCode);
        Assert.Contains($"There is no store at {missing}", output);
        Assert.False(File.Exists(missing));
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
