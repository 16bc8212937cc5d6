using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Identity.Operators;

/// <summary>
/// The issuer's public keys from the configured PEM files, re-read when a file changes (a key rotated at the identity
/// provider is put in place without a restart). A file that cannot be read after a change leaves the keys in effect as
/// they were, and says so; start-up refuses one (<see cref="OperatorOptionsValidator"/>).
/// </summary>
/// <remarks>
/// Operator calls are few, so each one compares what the files hold (a few hundred bytes each) rather than keep a file
/// watcher, whose events can come late or twice and would make a test of rotation wait on them.
/// </remarks>
public sealed class OperatorSigningKeys(IOptions<OperatorOptions> options, IHostEnvironment environment, ILogger<OperatorSigningKeys> logger)
{
    private const string EcPublicKey = "1.2.840.10045.2.1";

    private const string RsaEncryption = "1.2.840.113549.1.1.1";

    private readonly Lock _gate = new();
    private (FileStamp[] Stamp, IReadOnlyList<SecurityKey> Keys)? _current;
    private FileStamp[]? _refusedStamp;

    /// <summary>The keys a token may be signed with, re-read first if a file changed since.</summary>
    public IReadOnlyList<SecurityKey> Current
    {
        get
        {
            var paths = options.Value.Jwt.SigningKeys.Select(p => Resolve(environment, p)).ToArray();
            var stamp = FileStamp.Of(paths);
            lock (_gate)
            {
                if (_current is { } current && current.Stamp.SequenceEqual(stamp))
                {
                    return current.Keys;
                }

                try
                {
                    var keys = paths.Select(Read).ToArray();
                    if (_current is not null)
                    {
                        OperatorAuthLog.SigningKeysReloaded(logger, keys.Length);
                    }

                    _current = (stamp, keys);
                    return keys;
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    if (_refusedStamp is null || !_refusedStamp.SequenceEqual(stamp))
                    {
                        _refusedStamp = stamp;
                        OperatorAuthLog.SigningKeysNotReloaded(logger, error.Message);
                    }

                    return _current?.Keys ?? [];
                }
            }
        }
    }

    /// <summary>A configured path, relative ones against the content root (as Kestrel's certificate paths).</summary>
    public static string Resolve(IHostEnvironment environment, string path) => Path.GetFullPath(path, environment.ContentRootPath);

    /// <summary>
    /// The public key in a PEM file: <c>PUBLIC KEY</c> (EC P-256 or RSA of 2048 bits or more), <c>RSA PUBLIC KEY</c>, or a
    /// <c>CERTIFICATE</c> whose key is one of those (as Entra ID publishes its keys).
    /// </summary>
    public static SecurityKey Read(string path)
    {
        var text = File.ReadAllText(path);
        var fields = PemEncoding.TryFind(text, out var found)
            ? found
            : throw new InvalidDataException($"{path} holds no PEM block; give the issuer's public key as '-----BEGIN PUBLIC KEY-----'.");
        var label = text[fields.Label];
        var der = Convert.FromBase64String(text[fields.Base64Data]);
        try
        {
            return label switch
            {
                "PUBLIC KEY" => FromPublicKey(path, PublicKey.CreateFromSubjectPublicKeyInfo(der, out _)),
                "RSA PUBLIC KEY" => Rsa(path, ImportPkcs1(der)),
                "CERTIFICATE" => FromPublicKey(path, X509CertificateLoader.LoadCertificate(der).PublicKey),
                _ => throw new InvalidDataException($"{path} holds a '{label}', not a public key; give the issuer's public key, never a private one."),
            };
        }
        catch (CryptographicException error)
        {
            throw new InvalidDataException($"{path} does not hold a readable public key: {error.Message}", error);
        }
    }

    private static SecurityKey FromPublicKey(string path, PublicKey key) => key.Oid.Value switch
    {
        EcPublicKey => Ec(path, key.GetECDsaPublicKey()!),
        RsaEncryption => Rsa(path, key.GetRSAPublicKey()!),
        _ => throw new InvalidDataException($"{path} holds a key of algorithm {key.Oid.Value}; operator tokens are signed with EC P-256 (ES256) or RSA (RS256)."),
    };

    private static ECDsaSecurityKey Ec(string path, ECDsa key) =>
        key.KeySize == 256
            ? new ECDsaSecurityKey(key)
            : throw new InvalidDataException($"{path} holds an EC key of {key.KeySize} bits; ES256 needs a P-256 key.");

    private static RsaSecurityKey Rsa(string path, RSA key) =>
        key.KeySize >= 2048
            ? new RsaSecurityKey(key)
            : throw new InvalidDataException($"{path} holds an RSA key of {key.KeySize} bits; RS256 keys must have at least 2048.");

    private static RSA ImportPkcs1(byte[] der)
    {
        var rsa = RSA.Create();
        rsa.ImportRSAPublicKey(der, out _);
        return rsa;
    }

    /// <summary>What the files hold now (a missing one as such): a rotation can keep a file's size and land within its time's resolution.</summary>
}
