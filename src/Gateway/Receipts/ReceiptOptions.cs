namespace Gateway.Receipts;

/// <summary>The key receipts are signed with, and the public keys the gateway publishes (section <c>Gateway:Receipts</c>).</summary>
public sealed class ReceiptOptions
{
    public const string Section = "Gateway:Receipts";

    /// <summary>The file name of the key a development gateway generates beside its store when none is configured.</summary>
    public const string GeneratedKeyFileName = "receipt-signing.key";

    /// <summary>The file name of the published public keys, in the signing key's folder unless <see cref="PublishedKeysPath"/> says otherwise.</summary>
    public const string PublishedKeysFileName = "receipt-keys.pem";

    /// <summary>
    /// The ECDSA P-256 private key, PKCS#8 PEM; relative to the content root. Required in MutualTls mode; in Development
    /// mode, when empty, the gateway generates one beside its store on first start and keeps using it.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>Public keys (PEM) of receipt keys no longer signing, published so that receipts they signed stay verifiable.</summary>
    public List<string> RetiredPublicKeys { get; set; } = [];

    /// <summary>Where the gateway writes its receipt public keys (current first, then retired) at start-up; default <see cref="PublishedKeysFileName"/> beside the signing key.</summary>
    public string? PublishedKeysPath { get; set; }
}
