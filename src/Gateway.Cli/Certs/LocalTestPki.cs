using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Cli.Certs;

/// <summary>
/// The test PKI of <c>certs init</c>, made with .NET's own certificate APIs (CertificateRequest,
/// CertificateRevocationListBuilder), ECDSA P-256 throughout: a CA, the gateway's server and client certificates, a
/// client and an endpoint certificate per agency, an empty CRL, and the operator token, data and receipt keys. For one
/// machine's tests and demos: the CA's key lies in a file next to everything it signed.
/// </summary>
internal static class LocalTestPki
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string Organization = "Liaison Gateway test PKI (gatewayctl certs init)";

    // Long enough for a newcomer's weeks of trying things, short enough that a forgotten test CA dies on its own.
    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(2 * 365);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(365);

    // Certificates are valid from a little before now, so that a clock a minute behind does not reject them.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Writes every file of <paramref name="layout"/> but the configuration.</summary>
    public static void Write(CertsLayout layout, TimeProvider time)
    {
        Directory.CreateDirectory(layout.AgencyFolderPath);
        var now = time.GetUtcNow();
        using var authority = CreateAuthority(now);
        WritePair(authority, layout.Authority);

        var crl = new CertificateRevocationListBuilder().Build(authority, BigInteger.One, now + LeafLifetime, HashAlgorithmName.SHA256, thisUpdate: now - ClockSkew);
        WritePublic(layout.RevocationList, PemEncoding.WriteString("X509 CRL", crl));

        Issue(authority, Name("liaison-gateway"), ServerAuth, LoopbackNames(), now, layout.GatewayServer);
        Issue(authority, Name("liaison-gateway"), ClientAuth, sans: null, now, layout.GatewayClient);
        foreach (var agency in layout.Agencies)
        {
            Issue(authority, Name(agency), ClientAuth, sans: null, now, layout.AgencyClient(agency));
            Issue(authority, Name($"{agency} endpoint"), ServerAuth, LoopbackNames(), now, layout.AgencyEndpoint(agency));
        }

        WriteSigningKey(layout.OperatorSigningKey, layout.OperatorSigningPublicKey);
        WritePrivate(layout.DataKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        WriteSigningKey(layout.ReceiptSigningKey, layout.ReceiptPublicKey);
    }

    private static X509Certificate2 CreateAuthority(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name($"Liaison Gateway test CA ({Environment.MachineName})"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now - ClockSkew, now + AuthorityLifetime);
    }

    private static void Issue(
        X509Certificate2 authority, X500DistinguishedName subject, string usage, SubjectAlternativeNameBuilder? sans, DateTimeOffset now, KeyPair files)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        if (sans is not null)
        {
            request.CertificateExtensions.Add(sans.Build());
        }

        using var issued = request.Create(authority, now - ClockSkew, now + LeafLifetime, SerialNumber());
        WritePublic(files.Certificate, issued.ExportCertificatePem());
        WritePrivate(files.Key, key.ExportPkcs8PrivateKeyPem());
    }

    private static void WritePair(X509Certificate2 certificate, KeyPair files)
    {
        WritePublic(files.Certificate, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        WritePrivate(files.Key, key.ExportPkcs8PrivateKeyPem());
    }

    private static void WriteSigningKey(string privatePath, string publicPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WritePrivate(privatePath, key.ExportPkcs8PrivateKeyPem());
        WritePublic(publicPath, key.ExportSubjectPublicKeyInfoPem());
    }

    private static X500DistinguishedName Name(string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName(Organization);
        name.AddCommonName(commonName);
        return name.Build();
    }

    private static SubjectAlternativeNameBuilder LoopbackNames()
    {
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(IPAddress.Loopback);
        sans.AddIpAddress(IPAddress.IPv6Loopback);
        sans.AddDnsName("localhost");
        return sans;
    }

    // RFC 5280: a positive serial of at most 20 bytes, unpredictable.
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private static void WritePublic(string path, string text) => File.WriteAllText(path, text);

    /// <summary>A private key, readable by its owner only from the moment the file exists (on Unix).</summary>
    private static void WritePrivate(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(text);
    }
}
