using Gateway.Core.Encryption;
using Gateway.Encryption;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Storage.Sqlite;
using Interagency.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Encryption;

/// <summary>A development gateway with no data key configured makes one beside its store, owner-only, and keeps using it.</summary>
public sealed class DevelopmentDataKeyTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Without_configured_keys_a_development_gateway_seals_under_a_key_file_beside_the_store_and_reads_it_after_a_restart()
    {
        var path = _server.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
        var keyFile = DevelopmentDataKey.PathFor(path);
        var referral = SealedReferrals.Create(1);
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        var key = await File.ReadAllTextAsync(keyFile);

        await _server.RestartAsync();
        var shown = await new TraceService.TraceServiceClient(_server.Channel).GetMessageContentAsync(
            new GetMessageContentRequest { MessageId = referral.Header.MessageId, Reason = "checking after restart" }, GatewayServer.As("CN/PLO-RU"));

        Assert.Equal(referral, shown.Content.Unpack<SubmitReferralRequest>());
        Assert.Equal(key, await File.ReadAllTextAsync(keyFile));
        Assert.Equal(DevelopmentDataKey.KeyId, StoredPayloadKey(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    private static string? StoredPayloadKey(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM messages";
        return SealedValue.KeyIdOf((byte[])command.ExecuteScalar()!);
    }
}
