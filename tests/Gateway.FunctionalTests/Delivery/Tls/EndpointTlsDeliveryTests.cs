using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Agencies;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Streams;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Delivery.Tls;

/// <summary>
/// The gateway (in this process, Development mode) delivering over mutual TLS to a PartnerSim process that requires a
/// client certificate of the test's CA, over real sockets on 127.0.0.1: the endpoint must present the certificate the
/// directory registers, and replacing a file (the registered certificate, the gateway's own) takes effect without a
/// restart.
/// </summary>
public sealed class EndpointTlsDeliveryTests : IAsyncLifetime
{
    private const string Sender = "CN/PLO-RU";
    private const string Recipient = "CN/FJPSD";

    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-endpoint-tls-").FullName;
    private readonly TestPki _pki = TestPki.CreateAuthority();
    private PartnerSimProcess _endpoint = null!;
    private GatewayServer? _gateway;
    private X509Certificate2 _served = null!;

    private string Registered => Path.Combine(_folder, "registered-endpoint.pem");

    private string GatewayCertificate => Path.Combine(_folder, "gateway-client.pem");

    private string GatewayKey => Path.Combine(_folder, "gateway-client.key");

    public async Task InitializeAsync()
    {
        _pki.WriteAuthority(Path.Combine(_folder, "ca.pem"));
        _served = _pki.IssueServer("endpoint");
        TestPki.Write(_served, Path.Combine(_folder, "endpoint.pem"), Path.Combine(_folder, "endpoint.key"));
        using var gateway = _pki.IssueClient("gateway");
        TestPki.Write(gateway, GatewayCertificate, GatewayKey);
        _endpoint = await PartnerSimProcess.StartAsync(
            Recipient,
            Path.Combine(_folder, "partnersim"),
            tls: new PartnerSimTls(Path.Combine(_folder, "endpoint.pem"), Path.Combine(_folder, "endpoint.key"), ClientCaPath: Path.Combine(_folder, "ca.pem")));
    }

    [Fact]
    public async Task A_delivery_over_mutual_TLS_is_applied_and_the_endpoint_sees_the_gateway_client_certificate()
    {
        TestPki.Write(_served, Registered);
        var gateway = await StartGatewayAsync();

        var messageId = await SubmitAsync(gateway);

        await WaitForAppliedAsync(messageId);
        await OutputShowsAsync(_endpoint, $"SHA-256 {Sha256(GatewayCertificate)}) accepted");
    }

    [Fact]
    public async Task An_endpoint_presenting_another_certificate_of_the_same_CA_gets_nothing_until_the_registered_file_is_replaced()
    {
        using var other = _pki.IssueServer("endpoint-registered");
        TestPki.Write(other, Registered);
        var gateway = await StartGatewayAsync();

        var messageId = await SubmitAsync(gateway);

        var delivery = await Eventually.WaitForAsync(
            () => DeliveryAsync(gateway, messageId).GetAwaiter().GetResult(),
            d => d.Attempts >= 2 && d.Status == DeliveryStatus.RetryWait,
            "two attempts refused for the endpoint's certificate, waiting to retry");
        Assert.Contains($": endpoint certificate refused: it is not the one registered for {Recipient}", delivery.LastError, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(_served.GetCertHash(HashAlgorithmName.SHA256)), delivery.LastError, StringComparison.Ordinal);
        Assert.Empty(_endpoint.ReadInbox().Applied);

        TestPki.Write(_served, Registered);

        await WaitForAppliedAsync(messageId);
        await Eventually.WaitForAsync(
            () => DeliveryAsync(gateway, messageId).GetAwaiter().GetResult().Status,
            status => status == DeliveryStatus.Delivered,
            "the delivery recorded as delivered");
    }

    [Fact]
    public async Task Replacing_the_gateway_client_certificate_file_makes_the_next_connection_present_the_new_one()
    {
        TestPki.Write(_served, Registered);
        var gateway = await StartGatewayAsync();
        var first = Sha256(GatewayCertificate);
        await WaitForAppliedAsync(await SubmitAsync(gateway));

        using var renewed = _pki.IssueClient("gateway-renewed");
        TestPki.Write(renewed, GatewayCertificate, GatewayKey);
        var second = Sha256(GatewayCertificate);
        await DeliverUntilPresentedAsync(gateway, second);

        Assert.NotEqual(first, second);
        await OutputShowsAsync(_endpoint, $"SHA-256 {first}) accepted");
    }

    [Fact]
    public async Task A_new_client_certificate_written_before_its_key_leaves_the_old_pair_in_use_until_the_key_follows()
    {
        TestPki.Write(_served, Registered);
        var log = new LogWatcher();
        var gateway = await StartGatewayAsync(log);
        var first = Sha256(GatewayCertificate);
        await WaitForAppliedAsync(await SubmitAsync(gateway));

        using var renewed = _pki.IssueClient("gateway-renewed");
        TestPki.Write(renewed, GatewayCertificate);

        // The files are looked at once a check interval, at a call: messages go out until one of those looks found
        // the pair unreadable (event 10004), and each is still delivered, with the old pair.
        var unreadable = log.WaitForAsync(10004, Eventually.DefaultTimeout);
        while (!unreadable.IsCompleted)
        {
            await WaitForAppliedAsync(await SubmitAsync(gateway));
        }

        await unreadable;
        TestPki.Write(renewed, GatewayCertificate, GatewayKey);
        await DeliverUntilPresentedAsync(gateway, Sha256(GatewayCertificate));

        Assert.NotEqual(first, Sha256(GatewayCertificate));
    }

    /// <summary>
    /// Delivers messages one after the other until the endpoint logged a connection presenting the certificate of
    /// <paramref name="sha256"/>: the gateway looks at its files once a check interval, at a call, so the calls of the
    /// first second after a change may still go over the connection made before it.
    /// </summary>
    private async Task DeliverUntilPresentedAsync(GatewayServer gateway, string sha256)
    {
        var line = $"SHA-256 {sha256}) accepted";
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (!_endpoint.Output.Contains(line, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No connection presented the certificate {sha256} within {Eventually.DefaultTimeout}.");
            }

            await WaitForAppliedAsync(await SubmitAsync(gateway));
        }
    }

    /// <summary>Waits for the line in the PartnerSim's output: its console log is written asynchronously.</summary>
    private static Task OutputShowsAsync(PartnerSimProcess endpoint, string text) =>
        Eventually.WaitForAsync(() => endpoint.Output, output => output.Contains(text, StringComparison.Ordinal), $"'{text}' in PartnerSim's output");

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await _endpoint.DisposeAsync();
        _served.Dispose();
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<GatewayServer> StartGatewayAsync(LogWatcher? log = null)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var index = configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>()!.Agencies.FindIndex(a => a.Id == Recipient);
        var agency = string.Create(CultureInfo.InvariantCulture, $"--{DirectoryOptions.Section}:Agencies:{index}");
        var gateway = new GatewayServer
        {
            Configure = log is null ? null : builder => builder.Logging.AddProvider(log),
            ExtraArguments =
            [
                "--Gateway:Delivery:Enabled=true",
                "--Gateway:Delivery:Retry:BaseDelay=00:00:00.100",
                "--Gateway:Delivery:Retry:MaxDelay=00:00:00.500",
                "--Gateway:Delivery:IdlePoll=00:00:00.250",
                $"--Gateway:Identity:ClientCertificate:CertificatePath={GatewayCertificate}",
                $"--Gateway:Identity:ClientCertificate:KeyPath={GatewayKey}",
                $"--Gateway:Identity:EndpointTrustAnchors:0={Path.Combine(_folder, "ca.pem")}",
                $"{agency}:Endpoint={_endpoint.Address}",
                $"{agency}:EndpointCertificate={Registered}",
            ],
        };
        _gateway = gateway;
        await gateway.InitializeAsync();
        return gateway;
    }

    private static async Task<string> SubmitAsync(GatewayServer gateway)
    {
        var response = await new ReferralService.ReferralServiceClient(gateway.Channel).SubmitReferralAsync(
            Samples.Referral(Sender, Recipient), GatewayServer.As(Sender));
        return response.Receipt.MessageId;
    }

    private static async Task<DeliveryTrace> DeliveryAsync(GatewayServer gateway, string messageId)
    {
        var trace = await new TraceService.TraceServiceClient(gateway.Channel).GetMessageTraceAsync(
            new GetMessageTraceRequest { MessageId = messageId }, GatewayServer.As(Sender));
        return trace.Deliveries.Single(d => d.Recipient == Recipient);
    }

    private Task WaitForAppliedAsync(string messageId) =>
        Eventually.WaitForAsync(
            () => _endpoint.ReadInbox().Applied.Select(e => e.MessageId).ToList(),
            applied => applied.Contains(messageId),
            $"message {messageId} applied at the endpoint");

    private static string Sha256(string certificatePath)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        return Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }
}
