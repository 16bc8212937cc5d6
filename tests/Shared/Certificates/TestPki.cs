using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Tests.Shared;

/// <summary>
/// A certificate authority made in the test, with .NET's own certificate APIs: issues the agency, gateway and endpoint
/// certificates a test needs (valid or deliberately wrong), revokes them in a CRL, and writes them as PEM files the way
/// an operator would configure them. Nothing is read from or written to the machine's certificate stores.
/// </summary>
public sealed class TestPki : IDisposable
{
    /// <summary>TLS client authentication (1.3.6.1.5.5.7.3.2).</summary>
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>TLS server authentication (1.3.6.1.5.5.7.3.1).</summary>
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>E-mail protection (1.3.6.1.5.5.7.3.4): a usage that is neither client nor server authentication.</summary>
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";

    private readonly List<(byte[] Serial, DateTimeOffset At)> _revoked = [];
    private long _serial = 1;
    private BigInteger _crlNumber = 1;

    private TestPki(X509Certificate2 authority) => Authority = authority;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>A new self-signed CA (ECDSA P-256) valid from 30 days ago for ten years, so that it can issue certificates already expired.</summary>
    public static TestPki CreateAuthority(string commonName = "Liaison Test Agency CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestPki(request.CreateSelfSigned(now.AddDays(-30), now.AddYears(10)));
    }

    /// <summary>A client certificate for an agency (CN = its id), with client-authentication usage unless told otherwise.</summary>
    public X509Certificate2 IssueClient(
        string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string usage = ClientAuth) =>
        Issue(commonName, usage, notBefore, notAfter, sans: null);

    /// <summary>A server certificate for 127.0.0.1, ::1 and localhost, with server-authentication usage.</summary>
    public X509Certificate2 IssueServer(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(System.Net.IPAddress.Loopback);
        sans.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        sans.AddDnsName("localhost");
        return Issue(commonName, ServerAuth, notBefore, notAfter, sans);
    }

    /// <summary>A self-signed client certificate that no trust anchor vouches for.</summary>
    public static X509Certificate2 SelfSignedClient(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuth)], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    /// <summary>Puts <paramref name="certificate"/> on the next CRL this authority writes.</summary>
    public void Revoke(X509Certificate2 certificate) =>
        _revoked.Add((certificate.SerialNumberBytes.ToArray(), DateTimeOffset.UtcNow.AddMinutes(-1)));

    /// <summary>A CRL signed by the authority listing every certificate revoked so far (DER), valid for a week.</summary>
    public byte[] CreateCrl()
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var (serial, at) in _revoked)
        {
            builder.AddEntry(serial, at, X509RevocationReason.KeyCompromise);
        }

        var now = DateTimeOffset.UtcNow;
        return builder.Build(Authority, _crlNumber++, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5));
    }

    /// <summary>Writes the CA certificate as PEM to <paramref name="path"/>.</summary>
    public void WriteAuthority(string path) => File.WriteAllText(path, Authority.ExportCertificatePem());

    /// <summary>Writes the current CRL as PEM (<c>X509 CRL</c>) to <paramref name="path"/>.</summary>
    public void WriteCrl(string path) => File.WriteAllText(path, PemEncoding.WriteString("X509 CRL", CreateCrl()));

    /// <summary>Writes a certificate to <paramref name="certificatePath"/> and, when given, its private key (PKCS#8 PEM) to <paramref name="keyPath"/>.</summary>
    public static void Write(X509Certificate2 certificate, string certificatePath, string? keyPath = null)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (keyPath is not null)
        {
            using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no ECDSA private key.");
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
    }

    public void Dispose() => Authority.Dispose();

    private X509Certificate2 Issue(
        string commonName, string usage, DateTimeOffset? notBefore, DateTimeOffset? notAfter, SubjectAlternativeNameBuilder? sans)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        if (sans is not null)
        {
            request.CertificateExtensions.Add(sans.Build());
        }

        var now = DateTimeOffset.UtcNow;
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + (DateTime.UtcNow.Ticks << 8));
        Array.Reverse(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(Authority, notBefore ?? now.AddDays(-1), notAfter ?? now.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
