using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Tests.Shared;

namespace Gateway.FunctionalTests.Cli.Certs;

/// <summary>
/// gatewayctl over mutual TLS against Kestrel on 127.0.0.1 that requires a client certificate: the certificate it
/// presents (from --cert/--key or from certs init's production.json with --profile and --as), the server it trusts (only
/// one the CA vouches for), and the bearer token it sends as an operator.
/// </summary>
public sealed class CertsTlsTests : IDisposable
{
    private readonly TestPki _pki = TestPki.CreateAuthority();
    private readonly string _folder = Directory.CreateTempSubdirectory("gatewayctl-tls-").FullName;

    [Fact]
    public async Task With_cert_key_and_ca_it_presents_the_agency_certificate_and_trusts_the_server_through_the_ca()
    {
        using var server = _pki.IssueServer("gateway");
        using var client = _pki.IssueClient("RU/MVD");
        TestPki.Write(client, In("client.pem"), In("client.key"));
        _pki.WriteAuthority(In("ca.pem"));
        await using var host = await MutualTlsTestHost.StartAsync(server, _pki.Authority);

        var run = await Gatewayctl.RunAsync("health", "--gateway", host.Address, "--cert", In("client.pem"), "--key", In("client.key"), "--ca", In("ca.pem"));

        Assert.Equal((0, "gateway: Serving"), (run.ExitCode, run.Output.Trim()));
        var call = Assert.Single(host.Calls.All);
        Assert.Equal((client.Thumbprint, "RU/MVD"), (call.ClientCertificateThumbprint, call.ClientSubject));
    }

    [Fact]
    public async Task With_a_profile_and_as_it_presents_that_agencys_certificate_and_sends_the_token_instead_of_the_operator_header()
    {
        using var certs = await CertsFolder.InitAsync();
        using var server = X509Certificate2.CreateFromPemFile(certs.In("gateway.pem"), certs.In("gateway.key"));
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(certs.In("agency-ca.pem")));
        using var registered = X509Certificate2.CreateFromPem(File.ReadAllText(certs.In("agencies/AR-PFA.client.pem")));
        await using var host = await MutualTlsTestHost.StartAsync(server, authority);

        var run = await Gatewayctl.RunAsync("agencies", "--gateway", host.Address, "--profile", certs.Configuration, "--as", "AR/PFA", "--token", "header.payload.signature");

        Assert.True(run.ExitCode == 0, run.Error);
        var call = Assert.Single(host.Calls.All);
        Assert.Equal(("ListAgencies", registered.Thumbprint), (call.Method, call.ClientCertificateThumbprint));
        Assert.Equal("Bearer header.payload.signature", call.Headers["authorization"]);
        Assert.False(call.Headers.ContainsKey("x-liaison-operator"));
    }

    [Fact]
    public async Task A_server_certificate_the_ca_does_not_vouch_for_is_refused_before_any_call()
    {
        using var other = TestPki.CreateAuthority("Another CA");
        using var server = other.IssueServer("impostor");
        using var client = _pki.IssueClient("RU/MVD");
        TestPki.Write(client, In("client.pem"), In("client.key"));
        _pki.WriteAuthority(In("ca.pem"));
        await using var host = await MutualTlsTestHost.StartAsync(server, _pki.Authority);

        var run = await Gatewayctl.RunAsync("health", "--gateway", host.Address, "--cert", In("client.pem"), "--key", In("client.key"), "--ca", In("ca.pem"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("TLS handshake failed: the gateway's certificate must chain to --ca", run.Error);
        Assert.Empty(host.Calls.All);
    }

    [Fact]
    public async Task A_server_certificate_the_ca_issued_for_another_host_is_refused_before_any_call()
    {
        using var server = IssueServerFor("gateway.elsewhere.example");
        using var client = _pki.IssueClient("RU/MVD");
        TestPki.Write(client, In("client.pem"), In("client.key"));
        _pki.WriteAuthority(In("ca.pem"));
        await using var host = await MutualTlsTestHost.StartAsync(server, _pki.Authority);

        var run = await Gatewayctl.RunAsync("health", "--gateway", host.Address, "--cert", In("client.pem"), "--key", In("client.key"), "--ca", In("ca.pem"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("TLS handshake failed", run.Error);
        Assert.Empty(host.Calls.All);
    }

    [Fact]
    public async Task Without_a_client_certificate_the_server_that_requires_one_refuses_the_handshake()
    {
        using var server = _pki.IssueServer("gateway");
        _pki.WriteAuthority(In("ca.pem"));
        await using var host = await MutualTlsTestHost.StartAsync(server, _pki.Authority);

        var run = await Gatewayctl.RunAsync("health", "--gateway", host.Address, "--ca", In("ca.pem"));

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(host.Calls.All);
    }

    [Theory]
    [InlineData("--gateway", "http://127.0.0.1:1", "--ca", "ca.pem", "are for TLS: give an https:// --gateway")]
    [InlineData("--gateway", "https://127.0.0.1:1", "--cert", "client.pem", "--cert and --key go together")]
    [InlineData("--gateway", "https://127.0.0.1:1", "--ca", "missing.pem", "cannot be read")]
    public async Task Tls_options_that_cannot_work_are_command_line_errors(string gatewayOption, string gateway, string option, string file, string message)
    {
        _pki.WriteAuthority(In("ca.pem"));
        TestPki.Write(_pki.IssueClient("RU/MVD"), In("client.pem"), In("client.key"));

        var run = await Gatewayctl.RunAsync("health", gatewayOption, gateway, option, In(file));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public async Task A_profile_without_the_agency_of_as_is_a_command_line_error()
    {
        using var certs = await CertsFolder.InitAsync();

        var run = await Gatewayctl.RunAsync("health", "--gateway", "https://127.0.0.1:1", "--profile", certs.Configuration, "--as", "XX/NONE");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no client certificate for agency 'XX/NONE'", run.Error);
    }

    [Fact]
    public async Task An_operator_name_beside_a_token_is_a_command_line_error()
    {
        var run = await Gatewayctl.RunAsync("agencies", "--token", "a.b.c", "--operator", "someone");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the operator is the token's subject", run.Error);
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // TestPki's server certificates all name the loopback addresses; this one names only another host.
    private X509Certificate2 IssueServerFor(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TestPki.ServerAuth)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var issued = request.Create(_pki.Authority, now.AddDays(-1), now.AddDays(30), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private string In(string name) => Path.Combine(_folder, name);
}
