using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace Gateway.Identity;

/// <summary>
/// Certificate authentication's cache, so that an agency's calls on a long-lived connection do not each build and
/// check a chain. Unlike the library's own cache (a fixed sliding expiry), a result is good only while the trust files
/// and registered certificates it was computed from are the ones in effect, so a rotation applies to the next call; and
/// for at most <see cref="Lifetime"/>, and never past the certificate's own validity.
/// </summary>
public sealed class AgencyCertificateCache(AgencyTrustStore trust, RegisteredAgencyCertificates registered, TimeProvider time)
    : ICertificateValidationCache
{
    /// <summary>Bounds what a caller with many certificates can make the cache hold; past it the cache starts over.</summary>
    private const int MaxEntries = 4096;

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public AuthenticateResult? Get(HttpContext context, X509Certificate2 certificate) =>
        _entries.TryGetValue(Key(certificate), out var entry)
        && entry.Trust == trust.Current.Generation
        && entry.Pins == registered.Current.Generation
        && time.GetUtcNow() < entry.Until
            ? entry.Result
            : null;

    public void Put(HttpContext context, X509Certificate2 certificate, AuthenticateResult result)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        var now = time.GetUtcNow();
        var until = now + Lifetime;
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        until = notBefore > now && notBefore < until ? notBefore : until;
        until = notAfter < until ? notAfter : until;
        _entries[Key(certificate)] = new Entry(result, trust.Current.Generation, registered.Current.Generation, until);
    }

    private static string Key(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private sealed record Entry(AuthenticateResult Result, long Trust, long Pins, DateTimeOffset Until);
}
