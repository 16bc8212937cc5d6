using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Cli.Tokens;

/// <summary>What an operator token says: who, which roles, for which gateway, from which issuer, until when.</summary>
internal sealed record OperatorTokenRequest(string Subject, IReadOnlyList<string> Roles, string Issuer, string Audience, string RoleClaim, TimeSpan Lifetime);

/// <summary>
/// Mints an ES256 operator token, as an SSO would issue one, with Microsoft.IdentityModel's JsonWebTokenHandler. No key
/// id is set: the gateway tries each configured signing key, and a test key has no JWKS to be looked up in.
/// </summary>
internal static class OperatorToken
{
    public static string Mint(OperatorTokenRequest request, ECDsa signingKey, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = request.Issuer,
            Audience = request.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + request.Lifetime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = request.Subject,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                [request.RoleClaim] = request.Roles.ToArray(),
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signingKey), SecurityAlgorithms.EcdsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An ES256 private key from a PKCS#8 (or SEC 1) PEM file, as certs init writes operator-signing.key.pem.</summary>
    public static ECDsa LoadSigningKey(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new UsageException($"--signing-key '{path}' is not a readable ECDSA private key in PEM: {error.Message}");
        }

        var problem = key.KeySize != 256 ? $"an ECDSA key of {key.KeySize} bits; ES256 needs a P-256 key"
            : !HasPrivateKey(key) ? "a public key; minting needs the private key (operator-signing.key.pem, not .pub.pem)"
            : null;
        if (problem is not null)
        {
            key.Dispose();
            throw new UsageException($"--signing-key '{path}' is {problem}");
        }

        return key;
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            key.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
