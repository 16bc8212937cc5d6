using System.Security.Cryptography;
using Gateway.Core.Receipts;
using Gateway.Hosting;

namespace Gateway.Receipts;

/// <summary>
/// The receipt keys as the gateway found them at start-up: the signing key (loaded, or generated for development) and
/// the retired public keys it publishes with it.
/// </summary>
public sealed class ReceiptKeyring : IDisposable
{
    private ReceiptKeyring(ReceiptSigner signer, string signingKeyPath, bool? generatedNow, IReadOnlyList<RetiredReceiptKey> retired, string publishedPath)
    {
        Signer = signer;
        SigningKeyPath = signingKeyPath;
        GeneratedNow = generatedNow;
        Retired = retired;
        PublishedPath = publishedPath;
    }

    public ReceiptSigner Signer { get; }

    public string SigningKeyPath { get; }

    /// <summary>Null for a configured key; for a development key, whether this start generated it (false: an earlier start did).</summary>
    public bool? GeneratedNow { get; }

    public IReadOnlyList<RetiredReceiptKey> Retired { get; }

    public string PublishedPath { get; }

    /// <param name="contentRoot">What relative paths are relative to.</param>
    /// <param name="storePath">The store's file: a development key is generated in its folder.</param>
    public static ReceiptKeyring Load(ReceiptOptions options, string contentRoot, string storePath)
    {
        string signingPath;
        bool? generatedNow = null;
        if (string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            signingPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storePath))!, ReceiptOptions.GeneratedKeyFileName);
            generatedNow = !File.Exists(signingPath);
            if (generatedNow.Value)
            {
                Generate(signingPath);
            }
        }
        else
        {
            signingPath = Path.GetFullPath(options.SigningKeyPath, contentRoot);
        }

        var signer = new ReceiptSigner(LoadPrivate(signingPath, $"{ReceiptOptions.Section}:SigningKeyPath"));
        var retired = options.RetiredPublicKeys
            .Select((path, i) => LoadRetired(Path.GetFullPath(path, contentRoot), $"{ReceiptOptions.Section}:RetiredPublicKeys:{i}"))
            .ToList();
        var published = string.IsNullOrWhiteSpace(options.PublishedKeysPath)
            ? Path.Combine(Path.GetDirectoryName(signingPath)!, ReceiptOptions.PublishedKeysFileName)
            : Path.GetFullPath(options.PublishedKeysPath, contentRoot);
        return new ReceiptKeyring(signer, signingPath, generatedNow, retired, published);
    }

    /// <summary>
    /// The public keys, current first, each PEM block preceded by a line naming its id: openssl reads the first block,
    /// <c>gatewayctl verify-receipt --key</c> reads them all and picks the one a receipt names.
    /// </summary>
    public string PublishedPem() =>
        string.Concat(
            [
                $"Liaison Gateway receipt key {Signer.KeyId} (current)\n{Signer.PublicKeyPem}\n",
                .. Retired.Select(r => $"Liaison Gateway receipt key {r.KeyId} (retired)\n{r.PublicKeyPem}\n"),
            ]);

    public void Dispose() => Signer.Dispose();

    private static void Generate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new StreamWriter(path, options);
        file.Write(key.ExportPkcs8PrivateKeyPem());
    }

    private static ECDsa LoadPrivate(string path, string setting)
    {
        var key = Import(path, setting);
        try
        {
            key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new GatewayConfigurationException($"{setting}: {path} holds a public key only; receipts are signed with the private key (PKCS#8 PEM, 'BEGIN PRIVATE KEY').");
        }

        return key;
    }

    private static RetiredReceiptKey LoadRetired(string path, string setting)
    {
        using var key = Import(path, setting);
        return new RetiredReceiptKey(ReceiptKeys.KeyId(key), key.ExportSubjectPublicKeyInfoPem(), path);
    }

    private static ECDsa Import(string path, string setting)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException($"{setting}: {path} cannot be read ({error.Message}). Give the path of an ECDSA P-256 key in PEM.", error);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception error) when (error is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new GatewayConfigurationException($"{setting}: {path} is not an ECDSA key in PEM ({error.Message}).", error);
        }

        if (!ReceiptKeys.IsP256(key))
        {
            key.Dispose();
            throw new GatewayConfigurationException($"{setting}: {path} is an ECDSA key of another curve; receipt keys are P-256 (prime256v1).");
        }

        return key;
    }
}

/// <summary>A retired receipt key's public half, as published.</summary>
public sealed record RetiredReceiptKey(string KeyId, string PublicKeyPem, string Path);
