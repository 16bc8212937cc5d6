using System.Security.Cryptography;
using Gateway.Core.Receipts;
using Gateway.FunctionalTests.Cli;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Hosting;
using Gateway.Receipts;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;

namespace Gateway.FunctionalTests.Receipts;

/// <summary>Gateway:Receipts: a configured key, a rotation that keeps old receipts verifiable, and keys that stop start-up.</summary>
public sealed class ReceiptKeyConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("receipt-keys-").FullName;

    [Fact]
    public async Task After_a_rotation_receipts_of_the_retired_key_still_verify_against_the_published_keys()
    {
        var oldKey = WritePrivateKey("receipt-2025.key");
        var newKey = WritePrivateKey("receipt-2026.key");
        var oldPublic = Path.Combine(_folder, "receipt-2025.pub.pem");
        await File.WriteAllTextAsync(oldPublic, PublicPem(oldKey));

        var before = await RunAsync([$"--Gateway:Receipts:SigningKeyPath={oldKey}"], SubmitAsync);
        var (after, published) = await RunAsync(
            [$"--Gateway:Receipts:SigningKeyPath={newKey}", $"--Gateway:Receipts:RetiredPublicKeys:0={oldPublic}"],
            async server => (await SubmitAsync(server), server.Services.GetRequiredService<ReceiptKeyring>().PublishedPath));

        Assert.Equal(KeyId(oldKey), before.SigningKeyId);
        Assert.Equal(KeyId(newKey), after.SigningKeyId);
        Assert.Equal(Path.Combine(_folder, ReceiptOptions.PublishedKeysFileName), published);
        Assert.Equal(0, (await Gatewayctl.RunAsync("verify-receipt", Write(before), "--key", published)).ExitCode);
        Assert.Equal(0, (await Gatewayctl.RunAsync("verify-receipt", Write(after), "--key", published)).ExitCode);
        Assert.Equal(1, (await Gatewayctl.RunAsync("verify-receipt", Write(before), "--key", Write(PublicPem(newKey)))).ExitCode);
    }

    [Fact]
    public async Task A_development_gateway_keeps_the_key_it_generated_across_restarts()
    {
        var (first, restarted, signed) = await RunAsync([], async server =>
        {
            var keyId = server.Services.GetRequiredService<ReceiptSigner>().KeyId;
            await server.RestartAsync();
            return (keyId, server.Services.GetRequiredService<ReceiptSigner>().KeyId, (await SubmitAsync(server)).SigningKeyId);
        });

        Assert.Equal(first, restarted);
        Assert.Equal(first, signed);
    }

    [Fact]
    public async Task A_public_key_a_key_of_another_curve_or_a_missing_file_as_signing_key_stops_start_up_naming_the_setting()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var otherCurve = Write(p384.ExportPkcs8PrivateKeyPem());
        var publicOnly = Write(PublicPem(WritePrivateKey("signing.key")));

        foreach (var (path, problem) in new[]
                 {
                     (publicOnly, "holds a public key only"),
                     (otherCurve, "receipt keys are P-256"),
                     (Path.Combine(_folder, "none.key"), "cannot be read"),
                 })
        {
            var error = await StartFailureAsync($"--Gateway:Receipts:SigningKeyPath={path}");

            Assert.StartsWith("Gateway:Receipts:SigningKeyPath: ", error.Message);
            Assert.Contains(problem, error.Message);
        }
    }

    [Fact]
    public async Task Published_keys_that_cannot_be_written_stop_start_up_naming_the_setting()
    {
        var file = Write("a file, not a folder");

        var error = await StartFailureAsync($"--Gateway:Receipts:PublishedKeysPath={Path.Combine(file, "receipt-keys.pem")}");

        Assert.StartsWith($"The receipt public keys cannot be written to {Path.Combine(file, "receipt-keys.pem")}", error.Message);
        Assert.EndsWith("Set Gateway:Receipts:PublishedKeysPath to a file the gateway may write.", error.Message);
    }

    [Theory]
    [InlineData("MutualTls", null, false)]
    [InlineData("MutualTls", "certs/receipt-signing.key", true)]
    [InlineData("Development", null, true)]
    [InlineData(null, null, true)]
    public void Outside_development_mode_a_signing_key_is_required(string? mode, string? signingKeyPath, bool valid)
    {
        var result = new ReceiptOptionsValidator(mode).Validate(null, new ReceiptOptions { SigningKeyPath = signingKeyPath });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Gateway:Receipts:SigningKeyPath is required when Gateway:Identity:Mode is 'MutualTls'", result.FailureMessage);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<GatewayConfigurationException> StartFailureAsync(string setting)
    {
        await using var app = GatewayHost.CreateBuilder(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Gateway:Storage:Sqlite:Path={Path.Combine(_folder, "gateway.db")}",
            "--Gateway:Delivery:Enabled=false",
            setting,
        ]).Build();
        app.MapGateway();
        return await Assert.ThrowsAsync<GatewayConfigurationException>(() => app.StartAsync());
    }

    private static async Task<T> RunAsync<T>(string[] arguments, Func<GatewayServer, Task<T>> test)
    {
        var server = new GatewayServer { ExtraArguments = arguments };
        await server.InitializeAsync();
        try
        {
            return await test(server);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<Receipt> SubmitAsync(GatewayServer server) =>
        (await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(Samples.Referral(), GatewayServer.As("CN/PLO-RU"))).Receipt;

    private string WritePrivateKey(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private static string PublicPem(string privateKeyPath)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(privateKeyPath));
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static string KeyId(string privateKeyPath)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(privateKeyPath));
        return ReceiptKeys.KeyId(key);
    }

    private string Write(Receipt receipt) => Write(JsonFormatter.Default.Format(receipt));

    private string Write(string text)
    {
        var path = Path.Combine(_folder, Guid.NewGuid() + ".txt");
        File.WriteAllText(path, text);
        return path;
    }
}
