using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Identity;
using Org.BouncyCastle.X509;

namespace Gateway.Identity;

/// <summary>
/// Reads the certificate files of mutual TLS. Each method throws <see cref="InvalidDataException"/> (or an I/O error)
/// saying what is wrong with the file, for the caller to name the setting it came from.
/// </summary>
internal static class TrustFiles
{
    private const string CrlLabel = "X509 CRL";

    public static X509Certificate2 LoadServerCertificate(string certificatePath, string keyPath)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception error) when (error is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that is not the certificate's, as between writing a renewed certificate and its key.
            throw new InvalidDataException($"the certificate and key are not a PEM certificate with its matching private key ({error.Message})", error);
        }
    }

    /// <summary>Every certificate of a PEM file (a bundle may hold several anchors).</summary>
    public static X509Certificate2[] LoadAnchors(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (CryptographicException error)
        {
            throw new InvalidDataException($"it is not a PEM certificate file ({error.Message})", error);
        }

        return collection.Count == 0 ? throw new InvalidDataException("it holds no PEM certificate") : [.. collection];
    }

    /// <summary>
    /// A CRL file (PEM or DER), accepted only when one of <paramref name="anchors"/> signed it.
    /// </summary>
    /// <remarks>
    /// BouncyCastle, not hand-written ASN.1: .NET can build CRLs but neither verifies one's signature nor lists its
    /// entries, and X509Chain reads CRLs from its own cache, never from a file the operator maintains.
    /// </remarks>
    public static RevocationList LoadRevocationList(string path, IReadOnlyList<X509Certificate2> anchors)
    {
        var bytes = File.ReadAllBytes(path);
        X509Crl crl;
        try
        {
            crl = new X509CrlParser().ReadCrl(Der(bytes)) ?? throw new InvalidDataException("it holds no CRL");
        }
        catch (Exception error) when (error is not InvalidDataException)
        {
            throw new InvalidDataException($"it is not a CRL in PEM or DER ({error.Message})", error);
        }

        foreach (var anchor in anchors)
        {
            var issuer = new X509CertificateParser().ReadCertificate(anchor.RawData);
            if (!issuer.SubjectDN.Equivalent(crl.IssuerDN) || !SignedBy(crl, issuer))
            {
                continue;
            }

            var serials = (crl.GetRevokedCertificates() ?? new HashSet<X509CrlEntry>())
                .Select(entry => CertificateSerial.Normalize(entry.SerialNumber.ToByteArrayUnsigned()))
                .ToHashSet(StringComparer.Ordinal);
            return new RevocationList(
                path,
                anchor.GetCertHashString(HashAlgorithmName.SHA256),
                new DateTimeOffset(crl.ThisUpdate, TimeSpan.Zero),
                crl.NextUpdate is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null,
                serials);
        }

        throw new InvalidDataException("no configured agency trust anchor signed it");
    }

    private static bool SignedBy(X509Crl crl, Org.BouncyCastle.X509.X509Certificate issuer)
    {
        try
        {
            crl.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception error) when (error is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException or Org.BouncyCastle.Crypto.CryptoException)
        {
            return false;
        }
    }

    private static byte[] Der(byte[] bytes)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (!PemEncoding.TryFind(text, out var pem))
        {
            return bytes;
        }

        var label = text[pem.Label];
        return label == CrlLabel
            ? Convert.FromBase64String(text[pem.Base64Data])
            : throw new InvalidDataException($"its PEM label is '{label}', not '{CrlLabel}'");
    }
}
