using Gateway.FunctionalTests.Cli;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Interagency.V1;
using Npgsql;

namespace Gateway.FunctionalTests.Durability;

/// <summary><c>Gateway verify-audit</c> on a PostgreSQL store: the one chain the instances write, checked with no data key.</summary>
public sealed class VerifyAuditPostgresTests
{
    [PostgresFact]
    public async Task Reports_an_intact_chain_written_by_two_instances_then_the_position_of_an_edit()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("gateway-verify-pg-").FullName;
        try
        {
            string[] store = ["--Gateway:Storage:Provider=Postgres", $"--Gateway:Storage:Postgres:ConnectionString={database.ConnectionString}"];
            var keysBeside = Path.Combine(folder, "gateway.db");
            await using (var first = await GatewayProcess.StartAsync(keysBeside, [.. GatewayProcess.IntakeOnly, .. store]))
            await using (var second = await GatewayProcess.StartAsync(keysBeside, [.. GatewayProcess.IntakeOnly, .. store]))
            {
                foreach (var gateway in (GatewayProcess[])[first, second, first, second])
                {
                    var request = Samples.Referral();
                    await new ReferralService.ReferralServiceClient(gateway.Channel).SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender));
                }
            }

            var intact = await GatewayProcess.RunCommandAsync(["verify-audit", .. store]);
            var intactByGatewayctl = await Gatewayctl.RunAsync("verify-audit", "--postgres", database.ConnectionString);
            Assert.Equal(0, intact.ExitCode);
            // Each instance's start-up (the directory in effect), then the four acceptances.
            Assert.Contains("audit log intact: 6 entries verified", intact.Output, StringComparison.Ordinal);
            Assert.Equal(0, intactByGatewayctl.ExitCode);
            Assert.Equal("audit log intact: 6 entries verified", intactByGatewayctl.Output.Trim());

            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var edit = new NpgsqlCommand("DROP TRIGGER audit_append_only_update ON audit; UPDATE audit SET actor = 'US/FBI' WHERE seq = 4", connection);
                await edit.ExecuteNonQueryAsync();
            }

            var broken = await GatewayProcess.RunCommandAsync(["verify-audit", .. store]);
            var brokenByGatewayctl = await Gatewayctl.RunAsync("verify-audit", "--postgres", database.ConnectionString);
            Assert.Equal(1, broken.ExitCode);
            Assert.Contains("audit log BROKEN at entry 4", broken.Output, StringComparison.Ordinal);
            Assert.Equal(1, brokenByGatewayctl.ExitCode);
            Assert.StartsWith("audit log BROKEN at entry 4:", brokenByGatewayctl.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [PostgresFact]
    public async Task A_database_without_a_store_is_exit_code_2_and_left_as_it_was()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();

        var result = await GatewayProcess.RunCommandAsync(
            "verify-audit", "--Gateway:Storage:Provider=Postgres", $"--Gateway:Storage:Postgres:ConnectionString={database.ConnectionString}");

        var byGatewayctl = await Gatewayctl.RunAsync("verify-audit", "--postgres", database.ConnectionString);
        var neither = await Gatewayctl.RunAsync("verify-audit");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"The store PostgreSQL database {database.Name} on 127.0.0.1:", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, byGatewayctl.ExitCode);
        Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Password!, byGatewayctl.Error, StringComparison.Ordinal);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("Name one store: --store PATH (SQLite) or --postgres CONNECTION (PostgreSQL).", neither.Error, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
    }
}
