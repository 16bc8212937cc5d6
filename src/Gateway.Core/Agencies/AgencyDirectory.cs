using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Interagency.V1;
using Microsoft.Extensions.Primitives;

namespace Gateway.Core.Agencies;

/// <summary>
/// One snapshot of the directory: the agencies the gateway knows, how a recipient (an agency or a country) resolves to
/// one, and the route agreements between them. It never changes; an edit of the configuration makes a new snapshot,
/// and <see cref="ChangeToken"/> fires when one replaces this. A decision reads one snapshot from start to end
/// (<see cref="IAgencyDirectoryProvider.GetDirectory"/>), so it never sees half an edit.
/// </summary>
public sealed class AgencyDirectory
{
    private readonly Dictionary<AgencyId, Agency> _agencies;
    private readonly Agency[] _ordered;
    private readonly CancellationTokenSource _replaced = new();
    private readonly Lazy<string> _contentHash;

    /// <summary>A directory without route agreements: every route-checked message is refused.</summary>
    public AgencyDirectory(IEnumerable<Agency> agencies)
        : this(agencies, RouteTable.DenyAll)
    {
    }

    /// <param name="singlePointsOfContact">Per country, the agency copied on its agencies' requests abroad; none when null.</param>
    public AgencyDirectory(IEnumerable<Agency> agencies, RouteTable routes, IReadOnlyDictionary<string, AgencyId>? singlePointsOfContact = null)
    {
        _ordered = agencies.OrderBy(a => a.Id.ToString(), StringComparer.Ordinal).ToArray();
        _agencies = _ordered.ToDictionary(a => a.Id);
        Routes = routes;
        SinglePointsOfContact = new SortedDictionary<string, AgencyId>(
            singlePointsOfContact?.ToDictionary() ?? [], StringComparer.Ordinal);
        ChangeToken = new CancellationChangeToken(_replaced.Token);
        _contentHash = new Lazy<string>(() => DirectoryCanonicalForm.Hash(this));
    }

    public IReadOnlyList<Agency> Agencies => _ordered;

    /// <summary>The route agreements, in configured order.</summary>
    public RouteTable Routes { get; }

    /// <summary>Per country, in country order: its single point of contact (<see cref="DirectoryOptions.SinglePointsOfContact"/>).</summary>
    public IReadOnlyDictionary<string, AgencyId> SinglePointsOfContact { get; }

    /// <summary>Fires once a newer snapshot has taken this one's place.</summary>
    public IChangeToken ChangeToken { get; }

    /// <summary>SHA-256 of the snapshot's canonical form (<see cref="DirectoryCanonicalForm"/>), lower-case hex.</summary>
    public string ContentHash => _contentHash.Value;

    /// <summary>
    /// Builds the snapshot of a configured directory that the <see cref="DirectoryValidation"/> validators accepted; an
    /// entry they would refuse throws.
    /// </summary>
    public static AgencyDirectory FromOptions(DirectoryOptions options)
    {
        var agencies = options.Agencies.Select(ToAgency).ToArray();
        return new AgencyDirectory(
            agencies,
            new RouteTable(options.Routes.Select(RouteAgreementReader.Read)),
            options.SinglePointsOfContact.ToDictionary(c => c.Key, c => AgencyId.Parse(c.Value)));
    }

    public bool TryGet(AgencyId id, out Agency agency) => _agencies.TryGetValue(id, out agency!);

    /// <summary>
    /// Resolves a recipient as written in a header: an agency id must be in the directory; a country
    /// resolves to its competent agency for the message kind, else to the liaison office posted there,
    /// else to an Interpol NCB. Returns null when nothing can carry the message.
    /// </summary>
    public Agency? Resolve(string recipient, MessageKind kind) => Resolve(recipient, kind, out _);

    /// <inheritdoc cref="Resolve(string, MessageKind)"/>
    /// <param name="reason">How the agency was chosen (<see cref="RouteReasons"/>), for the audit of the message's routes.</param>
    public Agency? Resolve(string recipient, MessageKind kind, out string reason)
    {
        reason = RouteReasons.NamedAgency;
        if (recipient.Contains('/'))
        {
            return AgencyId.TryParse(recipient, out var id) && _agencies.TryGetValue(id, out var agency) ? agency : null;
        }

        if (!CountryCodes.IsAssigned(recipient))
        {
            return null;
        }

        var candidates = _ordered.Where(a => a.AcceptsKind(kind)).ToArray();
        (reason, var found) = candidates.FirstOrDefault(a => a.Id.Country == recipient && a.CompetentFor.Contains(kind)) is { } competent
            ? (RouteReasons.CompetentAgency, competent)
            : candidates.FirstOrDefault(a => a.Kind == AgencyKind.LiaisonOffice && a.PostedIn == recipient) is { } office
            ? (RouteReasons.LiaisonOffice, office)
            : (RouteReasons.InterpolNcb, candidates.FirstOrDefault(a => a.Kind == AgencyKind.InterpolNcb && a.CompetentFor.Contains(kind)));
        return found;
    }

    /// <summary>
    /// The id of the route agreement that lets <paramref name="sender"/> send <paramref name="kind"/> at
    /// <paramref name="handling"/> to <paramref name="recipient"/>, for the audit of a route <see cref="CheckRoute"/>
    /// allowed; null when the kind needs none or none covers it.
    /// </summary>
    public string? AgreementFor(AgencyId sender, AgencyId recipient, MessageKind kind, HandlingCode handling) =>
        DeliveryRoutes.NeedsAgreement(kind) && _agencies.TryGetValue(sender, out var from) && _agencies.TryGetValue(recipient, out var to)
            ? Routes.FindAgreement(from, to, kind, handling)?.Id
            : null;

    /// <summary>
    /// Whether <paramref name="sender"/> may send a message of <paramref name="kind"/> at <paramref name="handling"/> to
    /// <paramref name="recipient"/>. A sender outside the directory has no agreement.
    /// </summary>
    public RouteVerdict CheckRoute(AgencyId sender, Agency recipient, MessageKind kind, HandlingCode handling)
    {
        if (!_agencies.TryGetValue(sender, out var from))
        {
            return DeliveryRoutes.NeedsAgreement(kind) ? RouteVerdict.NotAgreed
                : recipient.AcceptsKind(kind) ? RouteVerdict.Allowed
                : RouteVerdict.KindNotAccepted;
        }

        return Routes.Check(from, recipient, kind, handling);
    }

    /// <summary>Called by the provider once <paramref name="next"/> is the current snapshot.</summary>
    internal void ReplacedBy(AgencyDirectory next)
    {
        if (!ReferenceEquals(next, this))
        {
            _replaced.Cancel();
        }
    }

    private static Agency ToAgency(AgencyOptions o) =>
        new(AgencyId.Parse(o.Id), o.Name, Parse<AgencyKind>(o.Kind), o.CompetentFor.Select(Parse<MessageKind>).ToHashSet(), o.PostedIn)
        {
            Endpoint = string.IsNullOrEmpty(o.Endpoint) ? null : new Uri(o.Endpoint, UriKind.Absolute),
            Accepts = o.Accepts.Count == 0 ? null : o.Accepts.Select(Parse<MessageKind>).ToHashSet(),
            ClientCertificate = string.IsNullOrEmpty(o.ClientCertificate) ? null : o.ClientCertificate,
            EndpointCertificate = string.IsNullOrEmpty(o.EndpointCertificate) ? null : o.EndpointCertificate,
        };

    private static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        ConfiguredNames.TryParse<TEnum>(text, out var value)
            ? value
            : throw new InvalidOperationException($"'{text}' is not a {typeof(TEnum).Name}; the directory's validators refuse it.");
}
