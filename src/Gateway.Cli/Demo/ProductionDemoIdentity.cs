using System.Security.Cryptography.X509Certificates;
using Gateway.Cli.Certs;
using Gateway.Cli.Connection;
using Gateway.Cli.Tokens;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Cli.Demo;

/// <summary>
/// <c>demo --production</c>: the identity of production mode on one machine, from a test PKI and the production.json
/// that <c>certs init</c> would write, made in the demo's folder by the same code. The gateway runs with that file
/// (mutual TLS, operator tokens, encryption at rest, signed receipts); each agency calls with its own client
/// certificate; each PartnerSim serves its endpoint certificate and accepts the gateway's client certificate only; the
/// operator's calls carry a token signed with the operator signing key, naming <see cref="DemoIdentity.Operator"/>.
/// </summary>
internal sealed class ProductionDemoIdentity : DemoIdentity
{
    private const string CertsFolder = "certs";

    // The gateway's two operator roles (its OperatorRoles): the demo traces as a duty operator and could review as a legal one.
    private static readonly string[] Roles = ["duty-operator", "legal-reviewer"];

    // Longer than any demo run, short enough that a token copied out of a kept folder is soon worthless.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly CertsLayout _layout;
    private readonly string _token;
    private readonly List<X509Certificate2> _clientCertificates = [];

    private ProductionDemoIdentity(CertsLayout layout, string token)
    {
        _layout = layout;
        _token = token;
    }

    public override string Announcement =>
        $"Production mode: mutual TLS (each agency calls with its own client certificate), operators by signed token (subject {Operator}); test PKI and production.json as certs init makes them, in {_layout.Folder}";

    public override string Scheme => Uri.UriSchemeHttps;

    public override IReadOnlyList<string> GatewayArguments => ["--config", _layout.Configuration];

    public override Metadata OperatorCredentials => new() { { CliContext.AuthorizationHeader, $"Bearer {_token}" } };

    /// <summary>
    /// Writes the test PKI and production.json for the agencies of <paramref name="settingsFile"/>'s directory under
    /// <paramref name="folder"/>, and mints the operator's token with the signing key it made.
    /// </summary>
    public static ProductionDemoIdentity Create(string folder, string settingsFile, TimeProvider time)
    {
        var directory = ProductionConfiguration.ReadDirectory(settingsFile);
        var layout = new CertsLayout(Path.Combine(folder, CertsFolder), ProductionConfiguration.AgencyIds(directory));
        LocalTestPki.Write(layout, time);
        ProductionConfiguration.Write(layout.Configuration, ProductionConfiguration.Create(layout, directory));

        var request = new OperatorTokenRequest(
            Operator,
            Roles,
            ProductionConfiguration.Issuer,
            ProductionConfiguration.Audience,
            ProductionConfiguration.RoleClaim,
            TokenLifetime);
        using var signingKey = OperatorToken.LoadSigningKey(layout.OperatorSigningKey);
        return new ProductionDemoIdentity(layout, OperatorToken.Mint(request, signingKey, time));
    }

    public override IReadOnlyList<string> PartnerSimArguments(string agency)
    {
        var endpoint = _layout.AgencyEndpoint(agency);
        return
        [
            "--tls-cert", endpoint.Certificate,
            "--tls-key", endpoint.Key,
            "--client-ca", _layout.Authority.Certificate,
            "--gateway-certificate", _layout.GatewayClient.Certificate,
        ];
    }

    /// <summary>Verifies the gateway against the test CA; presents the agency's client certificate, none for the operator.</summary>
    public override GrpcChannel OpenChannel(string address, string? agency)
    {
        var client = agency is null ? null : _layout.AgencyClient(agency);
        var channel = GatewayChannel.Open(
            new Uri(address), new GatewayChannel.Settings([_layout.Authority.Certificate], client?.Certificate, client?.Key), out var certificate);
        if (certificate is not null)
        {
            lock (_clientCertificates)
            {
                _clientCertificates.Add(certificate);
            }
        }

        return channel;
    }

    // Mutual TLS says who the agency is: no header would be believed.
    public override Metadata AgencyCredentials(string agency) => [];

    public override void Dispose()
    {
        lock (_clientCertificates)
        {
            _clientCertificates.ForEach(c => c.Dispose());
            _clientCertificates.Clear();
        }
    }
}
