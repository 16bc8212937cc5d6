using Gateway.Core.Agencies;
using Gateway.Delivery.Tls;
using Gateway.Hosting;
using Gateway.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Delivery.Tls;

/// <summary>
/// What the endpoint TLS settings refuse: a directory that would let MutualTls mode call an endpoint in plaintext or
/// unpinned, and gateway files that cannot be read. Development mode keeps http:// endpoints.
/// </summary>
public sealed class EndpointTlsConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-endpoint-tls-").FullName;
    private readonly TestPki _pki = TestPki.CreateAuthority();

    [Fact]
    public void MutualTls_mode_refuses_an_http_endpoint_and_an_https_one_without_a_readable_registered_certificate_naming_each_agency()
    {
        using var endpoint = _pki.IssueServer("endpoint");
        TestPki.Write(endpoint, Path.Combine(_folder, "ok.pem"));
        var directory = new DirectoryOptions
        {
            Agencies =
            [
                Agency("RU/MVD", "http://127.0.0.1:5096", null),
                Agency("CN/FJPSD", "https://127.0.0.1:5097", null),
                Agency("CN/MPS", "https://127.0.0.1:5098", "missing.pem"),
                Agency("AR/PFA", "https://127.0.0.1:5099", "ok.pem"),
                Agency("CN/PLO-RU", null, null),
            ],
        };

        var failures = new EndpointTlsDirectoryValidator(Environment()).Validate(directory).ToList();

        Assert.Equal(3, failures.Count);
        Assert.StartsWith("Agency 'RU/MVD': Endpoint must be https://", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("Agency 'CN/FJPSD': EndpointCertificate is required", failures[1], StringComparison.Ordinal);
        Assert.StartsWith("Agency 'CN/MPS': EndpointCertificate 'missing.pem' cannot be read", failures[2], StringComparison.Ordinal);
    }

    [Fact]
    public void In_MutualTls_mode_a_directory_with_an_http_endpoint_stops_start_up_naming_the_agency()
    {
        using var services = Services(("Gateway:Identity:Mode", "MutualTls"), ("Gateway:Directory:Agencies:0:Id", "RU/MVD"),
            ("Gateway:Directory:Agencies:0:Name", "MVD"), ("Gateway:Directory:Agencies:0:Kind", "ForeignPartner"),
            ("Gateway:Directory:Agencies:0:Endpoint", "http://127.0.0.1:5096"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IAgencyDirectoryProvider>());

        Assert.Contains("Agency 'RU/MVD': Endpoint must be https://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_mode_keeps_http_endpoints()
    {
        using var services = Services(("Gateway:Directory:Agencies:0:Id", "RU/MVD"), ("Gateway:Directory:Agencies:0:Name", "MVD"),
            ("Gateway:Directory:Agencies:0:Kind", "ForeignPartner"), ("Gateway:Directory:Agencies:0:Endpoint", "http://127.0.0.1:5096"));

        Assert.DoesNotContain(services.GetServices<IDirectoryValidator>(), v => v is EndpointTlsDirectoryValidator);
        Assert.Equal(new Uri("http://127.0.0.1:5096"), services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().Agencies.Single().Endpoint);
    }

    [Fact]
    public void A_client_certificate_without_its_key_or_unreadable_anchors_stop_start_up_naming_the_setting()
    {
        using var services = Services(("Gateway:Identity:ClientCertificate:CertificatePath", "gateway-client.pem"), ("Gateway:Identity:AgencyTrustAnchors:0", "none.pem"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EndpointTlsOptions>>().Value);

        Assert.Contains("Gateway:Identity:ClientCertificate: set both CertificatePath and KeyPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Identity:AgencyTrustAnchors: 'none.pem' cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MutualTls_mode_needs_the_gateway_client_certificate_and_trust_anchors()
    {
        using var services = Services(("Gateway:Identity:Mode", "MutualTls"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EndpointTlsOptions>>().Value);

        Assert.Contains("Gateway:Identity:ClientCertificate: in MutualTls mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Identity:EndpointTrustAnchors: in MutualTls mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Readable_files_relative_to_the_content_root_pass_and_endpoint_anchors_win_over_agency_anchors()
    {
        using var client = _pki.IssueClient("gateway");
        TestPki.Write(client, Path.Combine(_folder, "gateway-client.pem"), Path.Combine(_folder, "gateway-client.key"));
        _pki.WriteAuthority(Path.Combine(_folder, "ca.pem"));
        using var services = Services(
            ("Gateway:Identity:Mode", "MutualTls"),
            ("Gateway:Identity:ClientCertificate:CertificatePath", "gateway-client.pem"),
            ("Gateway:Identity:ClientCertificate:KeyPath", "gateway-client.key"),
            ("Gateway:Identity:EndpointTrustAnchors:0", "ca.pem"),
            ("Gateway:Identity:AgencyTrustAnchors:0", "unread.pem"));

        var options = services.GetRequiredService<IOptions<EndpointTlsOptions>>().Value;

        Assert.Equal(["ca.pem"], options.TrustAnchors.Paths);
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private HostingEnvironment Environment() => new() { ContentRootPath = _folder };

    private ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(Environment());
        services.AddLogging();
        services.AddGatewayDirectory(configuration).AddGatewayEndpointTls(configuration);
        return services.BuildServiceProvider();
    }

    private static AgencyOptions Agency(string id, string? endpoint, string? certificate) =>
        new() { Id = id, Name = id, Kind = "ForeignPartner", Endpoint = endpoint, EndpointCertificate = certificate };
}
