using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.FunctionalTests.Operators;

/// <summary>
/// An identity provider made in the test: its own key (EC P-256 for ES256, or RSA for RS256), its public key as the PEM
/// file the gateway is configured with, and tokens shaped as Keycloak issues them.
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string DefaultIssuer = "https://sso.test.police/realms/liaison";

    public const string DefaultAudience = "liaison-gateway";

    private readonly AsymmetricAlgorithm _key;
    private readonly SigningCredentials _credentials;

    private TestTokenIssuer(AsymmetricAlgorithm key, SecurityKey securityKey, string algorithm)
    {
        _key = key;
        _credentials = new SigningCredentials(securityKey, algorithm);
    }

    public static TestTokenIssuer Es256()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TestTokenIssuer(key, new ECDsaSecurityKey(key) { KeyId = "es256-test" }, SecurityAlgorithms.EcdsaSha256);
    }

    public static TestTokenIssuer Rs256()
    {
        var key = RSA.Create(2048);
        return new TestTokenIssuer(key, new RsaSecurityKey(key) { KeyId = "rs256-test" }, SecurityAlgorithms.RsaSha256);
    }

    /// <summary>The public key, as <c>-----BEGIN PUBLIC KEY-----</c>.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public string WritePublicKey(string path)
    {
        File.WriteAllText(path, PublicKeyPem);
        return path;
    }

    /// <summary>A token for <paramref name="subject"/> with <paramref name="roles"/> in a top-level <c>roles</c> claim, valid for five minutes unless told.</summary>
    public string Mint(
        string subject,
        IEnumerable<string> roles,
        string issuer = DefaultIssuer,
        string audience = DefaultAudience,
        DateTime? notBefore = null,
        DateTime? expires = null,
        IDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).AddSeconds(-1),
            NotBefore = notBefore ?? now.AddSeconds(-1),
            Expires = expires ?? now.AddMinutes(5),
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["roles"] = roles.ToArray() },
            SigningCredentials = _credentials,
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public void Dispose() => _key.Dispose();
}
