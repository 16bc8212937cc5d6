using Gateway.Core.Intake;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Agencies;

/// <summary>
/// The agencies the gateway knows, and how a recipient (an agency or a country) resolves to one.
/// </summary>
public sealed class AgencyDirectory
{
    private readonly Dictionary<AgencyId, Agency> _agencies;
    private readonly Agency[] _ordered;

    public AgencyDirectory(IEnumerable<Agency> agencies)
    {
        _ordered = agencies.OrderBy(a => a.Id.ToString(), StringComparer.Ordinal).ToArray();
        _agencies = _ordered.ToDictionary(a => a.Id);
    }

    public AgencyDirectory(IOptions<DirectoryOptions> options)
        : this(options.Value.Agencies.Select(ToAgency))
    {
    }

    public IReadOnlyList<Agency> Agencies => _ordered;

    public bool TryGet(AgencyId id, out Agency agency) => _agencies.TryGetValue(id, out agency!);

    /// <summary>
    /// Resolves a recipient as written in a header: an agency id must be in the directory; a country
    /// resolves to its competent agency for the message kind, else to the liaison office posted there,
    /// else to an Interpol NCB. Returns null when nothing can carry the message.
    /// </summary>
    public Agency? Resolve(string recipient, MessageKind kind)
    {
        if (recipient.Contains('/'))
        {
            return AgencyId.TryParse(recipient, out var id) && _agencies.TryGetValue(id, out var agency) ? agency : null;
        }

        if (!CountryCodes.IsAssigned(recipient))
        {
            return null;
        }

        return _ordered.FirstOrDefault(a => a.Id.Country == recipient && a.CompetentFor.Contains(kind))
            ?? _ordered.FirstOrDefault(a => a.Kind == AgencyKind.LiaisonOffice && a.PostedIn == recipient)
            ?? _ordered.FirstOrDefault(a => a.Kind == AgencyKind.InterpolNcb && a.CompetentFor.Contains(kind));
    }

    private static Agency ToAgency(AgencyOptions o) =>
        new(AgencyId.Parse(o.Id), o.Name, o.Kind, o.CompetentFor.ToHashSet(), o.PostedIn)
        {
            Endpoint = string.IsNullOrEmpty(o.Endpoint) ? null : new Uri(o.Endpoint, UriKind.Absolute),
            Accepts = o.Accepts.Count == 0 ? null : o.Accepts.ToHashSet(),
        };
}
