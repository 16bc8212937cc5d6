using System.Security.Cryptography;

namespace Gateway.Core.Receipts;

/// <summary>Receipt keys: ECDSA P-256, named by the SHA-256 of their public key.</summary>
public static class ReceiptKeys
{
    /// <summary>The signature encoding on the wire: DER (RFC 3279), the form OpenSSL and X.509 tools read and write.</summary>
    public const DSASignatureFormat SignatureFormat = DSASignatureFormat.Rfc3279DerSequence;

    public static readonly HashAlgorithmName Hash = HashAlgorithmName.SHA256;

    /// <summary>Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo: the same for the private key and its public half.</summary>
    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>True for a key on the P-256 curve, the only curve receipts are signed with.</summary>
    public static bool IsP256(ECDsa key) =>
        key.KeySize == 256 && key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;
}
