using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.FunctionalTests.Delivery.Tls;

/// <summary>
/// PartnerSim serving TLS (--tls-cert, --tls-key) and requiring client certificates of a CA (--client-ca), optionally
/// exactly the gateway's (--gateway-certificate), over real sockets on 127.0.0.1.
/// </summary>
public sealed class PartnerSimTlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("partnersim-tls-").FullName;
    private readonly TestPki _pki = TestPki.CreateAuthority();
    private readonly TestPki _otherPki = TestPki.CreateAuthority("Another CA");

    public PartnerSimTlsTests()
    {
        _pki.WriteAuthority(Path("ca.pem"));
        using var server = _pki.IssueServer("endpoint");
        TestPki.Write(server, Path("endpoint.pem"), Path("endpoint.key"));
    }

    [Theory]
    [InlineData("--tls-cert", "endpoint.pem", "--tls-cert and --tls-key go together")]
    [InlineData("--tls-cert", "endpoint.pem", "--tls-key", "endpoint.key", "--urls", "http://127.0.0.1:0", "give one https:// address")]
    [InlineData("--urls", "https://127.0.0.1:0", "or https:// with --tls-cert and --tls-key")]
    [InlineData("--client-ca", "ca.pem", "--client-ca needs --tls-cert")]
    [InlineData("--tls-cert", "endpoint.pem", "--tls-key", "endpoint.key", "--gateway-certificate", "ca.pem", "--gateway-certificate needs --client-ca")]
    [InlineData("--tls-cert", "missing.pem", "--tls-key", "endpoint.key", "does not exist")]
    public async Task A_wrong_TLS_command_line_exits_2_and_says_what_is_wrong(params string[] argsThenExpected)
    {
        string[] args = ["--agency", "RU/MVD", .. argsThenExpected[..^1].Select(a => a.EndsWith(".pem", StringComparison.Ordinal) || a.EndsWith(".key", StringComparison.Ordinal) ? Path(a) : a)];

        var (exitCode, output) = await PartnerSimProcess.RunToEndAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(argsThenExpected[^1], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_client_CA_it_applies_calls_from_a_certificate_of_that_CA_and_refuses_others_at_the_handshake()
    {
        await using var endpoint = await StartAsync(gatewayCertificate: null);
        using var agency = _pki.IssueClient("gateway");
        using var stranger = _otherPki.IssueClient("gateway");

        await CallAsync(endpoint, agency);
        await Assert.ThrowsAsync<RpcException>(() => CallAsync(endpoint, stranger));
        await Assert.ThrowsAsync<RpcException>(() => CallAsync(endpoint, null));

        await OutputShowsAsync(endpoint, $"SHA-256 {Hash(agency)}) accepted");
        await OutputShowsAsync(endpoint, $"SHA-256 {Hash(stranger)}) refused: it does not validate against --client-ca");
    }

    [Fact]
    public async Task With_the_gateway_certificate_it_refuses_another_certificate_of_the_same_CA()
    {
        using var gateway = _pki.IssueClient("gateway");
        using var other = _pki.IssueClient("other");
        TestPki.Write(gateway, Path("gateway.pem"));
        await using var endpoint = await StartAsync(Path("gateway.pem"));

        await CallAsync(endpoint, gateway);
        await Assert.ThrowsAsync<RpcException>(() => CallAsync(endpoint, other));

        await OutputShowsAsync(endpoint, $"SHA-256 {Hash(other)}) refused: it is not the gateway certificate");
    }

    /// <summary>Waits for the line in the PartnerSim's output: its console log is written asynchronously.</summary>
    private static Task OutputShowsAsync(PartnerSimProcess endpoint, string text) =>
        Eventually.WaitForAsync(() => endpoint.Output, output => output.Contains(text, StringComparison.Ordinal), $"'{text}' in PartnerSim's output");

    public void Dispose()
    {
        _pki.Dispose();
        _otherPki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<PartnerSimProcess> StartAsync(string? gatewayCertificate) =>
        PartnerSimProcess.StartAsync(
            "RU/MVD", Path("data"), tls: new PartnerSimTls(Path("endpoint.pem"), Path("endpoint.key"), Path("ca.pem"), gatewayCertificate));

    /// <summary>One empty batch from a client presenting <paramref name="client"/> (or nothing), trusting the endpoint's certificate.</summary>
    private static async Task CallAsync(PartnerSimProcess endpoint, X509Certificate2? client)
    {
        using var served = X509Certificate2.CreateFromPem(File.ReadAllText(endpoint.Tls!.CertificatePath));
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                ClientCertificates = client is null ? null : [client],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => (certificate as X509Certificate2)?.Thumbprint == served.Thumbprint,
            },
        };
        using var channel = GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { HttpHandler = handler });
        await new AgencyEndpointService.AgencyEndpointServiceClient(channel).DeliverBatchAsync(new DeliverBatchRequest());
    }

    private static string Hash(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private string Path(string name) => System.IO.Path.Combine(_folder, name);
}
