namespace Gateway.Core.Identity;

/// <summary>
/// A certificate revocation list the operator configured, once its signature was checked against the trust anchor
/// that issued it.
/// </summary>
/// <param name="Anchor">The SHA-256 thumbprint (upper-case hex) of the trust anchor that signed it.</param>
/// <param name="RevokedSerials">Serial numbers, as <see cref="CertificateSerial.Normalize(ReadOnlySpan{byte})"/> writes them.</param>
public sealed record RevocationList(string Source, string Anchor, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, IReadOnlySet<string> RevokedSerials)
{
    /// <summary>
    /// Past its next update the issuer should have published a newer list. A stale list still applies: a revocation
    /// never expires, and refusing every agency of that anchor until the operator copies a new file would stop police
    /// traffic over a file copy; the gateway warns instead (see <see cref="RevocationRules.Revokes"/>).
    /// </summary>
    public bool IsStale(DateTimeOffset now) => NextUpdate is { } next && now > next;
}

/// <summary>What the configured revocation lists say of a certificate.</summary>
public static class RevocationRules
{
    /// <summary>
    /// Whether any list signed by <paramref name="anchor"/> revokes <paramref name="serial"/>. Only the issuing anchor's
    /// lists count: a list signed by another anchor says nothing of certificates it did not issue, even with the same
    /// serial. Lists of the same anchor add up, stale ones included, so that an older file cannot undo a revocation.
    /// </summary>
    public static bool Revokes(IEnumerable<RevocationList> lists, string anchor, string serial) =>
        lists.Any(list => string.Equals(list.Anchor, anchor, StringComparison.OrdinalIgnoreCase) && list.RevokedSerials.Contains(serial));
}
