using System.Net;
using System.Security.Cryptography;
using Gateway.FunctionalTests.Hosting;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Hosting;
using Gateway.Tests.Shared;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.FunctionalTests.Identity;

/// <summary>
/// Where mutual TLS mode listens and what it needs to start: any address, HTTPS only, and readable certificate files,
/// each missing one a one-line refusal naming its setting.
/// </summary>
public sealed class MutualTlsStartupTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-mtls-start-").FullName;
    private readonly TestPki _pki = TestPki.CreateAuthority();

    public MutualTlsStartupTests()
    {
        _pki.WriteAuthority(AnchorPath);
        TestPki.Write(_pki.IssueServer("Liaison Gateway"), Path.Combine(_folder, "gateway.pem"), Path.Combine(_folder, "gateway.key"));
        using var operators = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(OperatorKeyPath, operators.ExportSubjectPublicKeyInfoPem());
        using var receipts = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(ReceiptKeyPath, receipts.ExportPkcs8PrivateKeyPem());
    }

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    private string AnchorPath => Path.Combine(_folder, "agency-ca.pem");

    private string OperatorKeyPath => Path.Combine(_folder, "operator-signing.pub.pem");

    private string ReceiptKeyPath => Path.Combine(_folder, "receipt-signing.key");

    private string[] MutualTls =>
    [
        "--Gateway:Identity:Mode=MutualTls",
        // Mutual TLS mode refuses to start without a data key for personal data at rest.
        "--Gateway:Encryption:Keys:0:Id=test-k1",
        "--Gateway:Encryption:Keys:0:Value=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "--Gateway:Encryption:ActiveKey=test-k1",
        $"--Gateway:Identity:ServerCertificate:CertificatePath={Path.Combine(_folder, "gateway.pem")}",
        $"--Gateway:Identity:ServerCertificate:KeyPath={Path.Combine(_folder, "gateway.key")}",
        $"--Gateway:Identity:AgencyTrustAnchors:0={AnchorPath}",

        "--Gateway:Operators:Jwt:Issuer=https://sso.test.police/realms/liaison",
        "--Gateway:Operators:Jwt:Audience=liaison-gateway",
        $"--Gateway:Operators:Jwt:SigningKeys:0={OperatorKeyPath}",
        $"--Gateway:Receipts:SigningKeyPath={ReceiptKeyPath}",

        // These gateways only take messages in: the endpoints of the sample directory are plaintext.
        .. GatewayProcess.IntakeOnly,
    ];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Mutual_tls_listens_beyond_loopback_and_says_which_mode_runs()
    {
        var attempt = await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, [.. MutualTls, "--urls", "https://0.0.0.0:0"]);

        Assert.True(attempt.Listened, "The gateway did not listen:\n" + attempt.Output);
        Assert.Contains("Mutual TLS identity: agencies are identified by their client certificates, 1 trust anchors", attempt.Output);
        Assert.DoesNotContain("INSECURE DEVELOPMENT IDENTITY", attempt.Output);
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_plaintext_url_with_one_line_naming_it()
    {
        var attempt = await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, [.. MutualTls, "--urls", "http://0.0.0.0:0"]);

        var line = AssertOneLineRefusal(attempt);
        Assert.StartsWith("Liaison Gateway cannot start: Refusing to listen on 'http://0.0.0.0:0' (from urls)", line);
        Assert.Contains("HTTPS only", line);
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_plaintext_listener_given_in_code_once_bound()
    {
        var builder = GatewayHost.CreateBuilder(["--urls", "https://127.0.0.1:0", $"--Gateway:Storage:Sqlite:Path={DatabasePath}", .. MutualTls]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGateway();

        var refusal = await Assert.ThrowsAsync<GatewayConfigurationException>(() => app.StartAsync());

        Assert.Contains("(as bound)", refusal.Message);
        Assert.Contains("HTTPS only", refusal.Message);
    }

    [Fact]
    public async Task A_missing_server_certificate_stops_start_up_naming_the_setting()
    {
        File.Delete(Path.Combine(_folder, "gateway.key"));

        var line = AssertOneLineRefusal(await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, [.. MutualTls, "--urls", "https://127.0.0.1:0"]));

        Assert.Contains("Gateway:Identity:ServerCertificate", line);
    }

    [Fact]
    public async Task A_server_key_of_another_certificate_stops_start_up_naming_the_setting()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(_folder, "gateway.key"), otherKey.ExportPkcs8PrivateKeyPem());

        var line = AssertOneLineRefusal(await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, [.. MutualTls, "--urls", "https://127.0.0.1:0"]));

        Assert.Contains("Gateway:Identity:ServerCertificate", line);
        Assert.Contains("matching private key", line);
    }

    [Fact]
    public async Task An_unreadable_trust_anchor_stops_start_up_naming_the_setting()
    {
        File.WriteAllText(AnchorPath, "not a certificate");

        var line = AssertOneLineRefusal(await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, [.. MutualTls, "--urls", "https://127.0.0.1:0"]));

        Assert.Contains("Gateway:Identity:AgencyTrustAnchors:0", line);
    }

    [Fact]
    public async Task A_revocation_list_no_anchor_signed_stops_start_up_naming_the_setting()
    {
        using var other = TestPki.CreateAuthority("Another Agency CA");
        var crl = Path.Combine(_folder, "other.crl");
        other.WriteCrl(crl);

        var line = AssertOneLineRefusal(await GatewayStartAttempt.RunAsync(
            DatabasePath, NoEnvironment, [.. MutualTls, $"--Gateway:Identity:RevocationLists:0={crl}", "--urls", "https://127.0.0.1:0"]));

        Assert.Contains("Gateway:Identity:RevocationLists:0", line);
        Assert.Contains("no configured agency trust anchor signed it", line);
    }

    [Fact]
    public async Task An_identity_mode_that_does_not_exist_stops_start_up_naming_both_that_do()
    {
        var line = AssertOneLineRefusal(await GatewayStartAttempt.RunAsync(DatabasePath, NoEnvironment, "--urls", "https://127.0.0.1:0", "--Gateway:Identity:Mode=Certificates"));

        Assert.Contains("Gateway:Identity:Mode 'Certificates' is not an identity mode; use 'MutualTls' or 'Development'", line);
    }

    private static string AssertOneLineRefusal(GatewayStartAttempt attempt)
    {
        Assert.False(attempt.Listened, "The gateway listened:\n" + attempt.Output);
        Assert.Equal(StartupFailure.ExitCode, attempt.ExitCode);
        Assert.DoesNotContain("Unhandled exception", attempt.Output);
        Assert.DoesNotContain("   at ", attempt.Output);
        return Assert.Single(attempt.PlainLines);
    }
}
