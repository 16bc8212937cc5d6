using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Identity;

/// <summary>
/// The gateway in mutual TLS mode over real TLS on 127.0.0.1, with a <see cref="TestPki"/> made for it: a server
/// certificate, the CA as the one agency trust anchor, a CRL, and a registered client certificate for every agency of
/// the sample directory, all as files in a folder of its own. Gives a channel per agency (or per any certificate,
/// or none) that trusts only the test CA and records the server certificate each handshake was shown.
/// </summary>
public sealed class MutualTlsGateway : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-mtls-").FullName;
    private readonly ConcurrentDictionary<string, X509Certificate2> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<GrpcChannel> _channels = [];
    private GatewayServer? _server;

    public MutualTlsGateway()
    {
        Pki = TestPki.CreateAuthority();
        ServerCertificate = Pki.IssueServer("Liaison Gateway");
        RevokedCertificate = Pki.IssueClient("CN/PLO-RU");
        Pki.Revoke(RevokedCertificate);
    }

    /// <summary>More gateway settings, as for <see cref="GatewayServer.ExtraArguments"/>; read at start.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Runs on the gateway's builder before it is built, as <see cref="GatewayServer.Configure"/>.</summary>
    public Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? Configure { get; init; }

    /// <summary>The agencies of the sample directory, by their index in it (the configuration key of their entry).</summary>
    public static IReadOnlyDictionary<string, int> DirectoryAgencies { get; } = ReadDirectoryAgencies();

    public TestPki Pki { get; }

    /// <summary>The identity provider whose tokens the gateway takes from operators (MutualTls mode requires tokens).</summary>
    public Operators.TestTokenIssuer Operators { get; } = Gateway.FunctionalTests.Operators.TestTokenIssuer.Es256();

    public GatewayServer Server => _server ?? throw new InvalidOperationException("The gateway is not started.");

    /// <summary>The certificate the gateway was started with; see <see cref="RenewServerCertificate"/>.</summary>
    public X509Certificate2 ServerCertificate { get; private set; }

    /// <summary>A client certificate of the agency CA, on the CRL the gateway starts with, and registered by no agency.</summary>
    public X509Certificate2 RevokedCertificate { get; }

    public string AnchorPath => Path.Combine(_folder, "agency-ca.pem");

    public string CrlPath => Path.Combine(_folder, "agency-ca.crl");

    public string ServerCertificatePath => Path.Combine(_folder, "gateway.pem");

    public string ServerKeyPath => Path.Combine(_folder, "gateway.key");

    /// <summary>The certificate <paramref name="agency"/> registered and calls with.</summary>
    public X509Certificate2 ClientCertificate(string agency) => _clients[agency];

    public string RegisteredPath(string agency) => Path.Combine(_folder, "agencies", agency.Replace('/', '-') + ".client.pem");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "agencies"));
        Pki.WriteAuthority(AnchorPath);
        Pki.WriteCrl(CrlPath);
        TestPki.Write(ServerCertificate, ServerCertificatePath, ServerKeyPath);
        var arguments = new List<string>
        {
            "--urls", "https://127.0.0.1:0",
            "--Gateway:Identity:Mode=MutualTls",
            // Mutual TLS mode refuses to start without a data key for personal data at rest.
            "--Gateway:Encryption:Keys:0:Id=test-k1",
            "--Gateway:Encryption:Keys:0:Value=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "--Gateway:Encryption:ActiveKey=test-k1",
            $"--Gateway:Identity:ServerCertificate:CertificatePath={ServerCertificatePath}",
            $"--Gateway:Identity:ServerCertificate:KeyPath={ServerKeyPath}",
            $"--Gateway:Identity:AgencyTrustAnchors:0={AnchorPath}",
            $"--Gateway:Identity:RevocationLists:0={CrlPath}",
            $"--Gateway:Operators:Jwt:Issuer={Gateway.FunctionalTests.Operators.TestTokenIssuer.DefaultIssuer}",
            $"--Gateway:Operators:Jwt:Audience={Gateway.FunctionalTests.Operators.TestTokenIssuer.DefaultAudience}",
            $"--Gateway:Operators:Jwt:SigningKeys:0={Operators.WritePublicKey(Path.Combine(_folder, "operator-signing.pub.pem"))}",
            $"--Gateway:Receipts:SigningKeyPath={WriteReceiptKey(Path.Combine(_folder, "receipt-signing.key"))}",
        };
        foreach (var (agency, index) in DirectoryAgencies)
        {
            var certificate = Pki.IssueClient(agency);
            _clients[agency] = certificate;
            TestPki.Write(certificate, RegisteredPath(agency));
            arguments.Add($"--Gateway:Directory:Agencies:{index}:ClientCertificate={RegisteredPath(agency)}");
        }

        _server = new GatewayServer { ExtraArguments = [.. arguments, .. ExtraArguments], Configure = Configure };
        await _server.InitializeAsync();
    }

    /// <summary>A receipt signing key (MutualTls mode refuses to start without one).</summary>
    private static string WriteReceiptKey(string path)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    /// <summary>A channel that calls as <paramref name="agency"/>, with its registered certificate.</summary>
    public GrpcChannel ChannelFor(string agency) => Channel(ClientCertificate(agency));

    /// <summary>
    /// A channel that presents <paramref name="clientCertificate"/> (none when null), trusts only the test CA, and tells
    /// <paramref name="serverCertificateSeen"/> the certificate the gateway presented at each handshake.
    /// </summary>
    public GrpcChannel Channel(X509Certificate2? clientCertificate, Action<X509Certificate2>? serverCertificateSeen = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Chosen whatever CA names the server lists: a wrong certificate must reach the gateway to be refused.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var presented = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                    serverCertificateSeen?.Invoke(X509CertificateLoader.LoadCertificate(presented.RawData));
                    return IssuedByTestCa(presented);
                },
            },
        };
        var channel = GrpcChannel.ForAddress(Server.Address, new GrpcChannelOptions { HttpHandler = handler });
        _channels.Add(channel);
        return channel;
    }

    /// <summary>Issues a new server certificate and renames it and its key over the gateway's files, key first.</summary>
    public X509Certificate2 RenewServerCertificate()
    {
        var renewed = Pki.IssueServer("Liaison Gateway (renewed)");
        TestPki.Write(renewed, ServerCertificatePath + ".staged", ServerKeyPath + ".staged");
        File.Move(ServerKeyPath + ".staged", ServerKeyPath, overwrite: true);
        File.Move(ServerCertificatePath + ".staged", ServerCertificatePath, overwrite: true);
        ServerCertificate = renewed;
        return renewed;
    }

    /// <summary>Issues <paramref name="agency"/> a new certificate and replaces its registered file with it; returns it.</summary>
    public X509Certificate2 RenewClientCertificate(string agency)
    {
        var renewed = Pki.IssueClient(agency);
        Replace(RegisteredPath(agency), path => TestPki.Write(renewed, path));
        _clients[agency] = renewed;
        return renewed;
    }

    /// <summary>Revokes <paramref name="certificate"/> and replaces the CRL file with one that lists it.</summary>
    public void Revoke(X509Certificate2 certificate)
    {
        Pki.Revoke(certificate);
        Replace(CrlPath, Pki.WriteCrl);
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
        Pki.Dispose();
        Operators.Dispose();
    }

    /// <summary>Waits until <paramref name="probe"/> holds, trying again every few milliseconds, for at most 30 seconds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> probe, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await probe())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Writes the new file beside the old one and renames it over it, as an operator's deployment would.</summary>
    private static void Replace(string path, Action<string> write)
    {
        var staged = path + ".staged";
        write(staged);
        File.Move(staged, path, overwrite: true);
    }

    private bool IssuedByTestCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Pki.Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static Dictionary<string, int> ReadDirectoryAgencies()
    {
        var configuration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").Build();
        return configuration.GetSection("Gateway:Directory:Agencies").GetChildren()
            .ToDictionary(a => a["Id"]!, a => int.Parse(a.Key, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}
