using Gateway.Core.Agencies;

namespace Gateway.Core.Identity;

/// <summary>
/// Which agency a client certificate identifies: the one whose registered certificate has the same SHA-256
/// thumbprint. Pinning the certificate itself, rather than trusting its subject and issuer, means a renewal is a
/// replaced registered file and no directory edit, and a trusted CA cannot mint a second certificate that passes as an
/// agency: only the certificate the agency registered does.
/// </summary>
public sealed class AgencyCertificatePins
{
    private readonly Dictionary<string, AgencyId> _byThumbprint;

    private AgencyCertificatePins(Dictionary<string, AgencyId> byThumbprint, IReadOnlyList<string> ambiguous)
    {
        _byThumbprint = byThumbprint;
        Ambiguous = ambiguous;
    }

    public static AgencyCertificatePins Empty { get; } = new([], []);

    /// <summary>Thumbprints registered by more than one agency: they identify none, since a call must map to exactly one.</summary>
    public IReadOnlyList<string> Ambiguous { get; }

    public int Count => _byThumbprint.Count;

    /// <param name="registered">Each agency with the SHA-256 thumbprint (hex) of a certificate it registered.</param>
    public static AgencyCertificatePins Build(IEnumerable<(AgencyId Agency, string Thumbprint)> registered)
    {
        var byThumbprint = new Dictionary<string, AgencyId>(StringComparer.OrdinalIgnoreCase);
        var ambiguous = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (agency, thumbprint) in registered)
        {
            if (byThumbprint.TryGetValue(thumbprint, out var other) && other != agency)
            {
                ambiguous.Add(thumbprint.ToUpperInvariant());
            }

            byThumbprint[thumbprint] = agency;
        }

        foreach (var thumbprint in ambiguous)
        {
            byThumbprint.Remove(thumbprint);
        }

        return new AgencyCertificatePins(byThumbprint, [.. ambiguous.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The agency that registered the certificate of this thumbprint, or null for none (or more than one).</summary>
    public AgencyId? Find(string thumbprint) => _byThumbprint.TryGetValue(thumbprint, out var agency) ? agency : null;
}
