using Gateway.Core.Intake;
using Gateway.Core.Routing;

namespace Gateway.Core.Agencies;

/// <summary>The agency directory as configured: section <c>Gateway:Directory</c>, or the root of the <c>Gateway:DirectoryFile</c> file.</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Gateway:Directory";

    public List<AgencyOptions> Agencies { get; set; } = [];

    /// <summary>Route agreements, in the order operators see them; a route no agreement covers is refused.</summary>
    public List<RouteAgreementOptions> Routes { get; set; } = [];

    /// <summary>
    /// Optional, per country: the agency that is the country's single point of contact (EU 2023/977 art. 4(1)), e.g.
    /// <c>{ "RU": "RU/SPOC" }</c>. A request one of the country's agencies sends directly to a foreign agency is copied
    /// to it. It must be an agency of that country in the directory.
    /// </summary>
    public Dictionary<string, string> SinglePointsOfContact { get; set; } = [];
}

/// <summary>
/// One agency of the configured directory. Kinds are kept as text, like a route's, so that a typo is reported with the
/// entry it is in: the configuration binder would drop the whole entry without a word.
/// </summary>
public sealed class AgencyOptions
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>An <see cref="AgencyKind"/> name: <c>Domestic</c>, <c>LiaisonOffice</c>, <c>ForeignPartner</c> or <c>InterpolNcb</c>.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary><see cref="MessageKind"/> names for which the agency is its country's competent agency.</summary>
    public List<string> CompetentFor { get; set; } = [];

    public string? PostedIn { get; set; }

    /// <summary>Absolute http(s) URL of the agency's <c>AgencyEndpointService</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// Path of the agency's registered client certificate (PEM), the one certificate that proves this agency in the
    /// mutual TLS identity mode. Relative paths are taken from the content root.
    /// </summary>
    public string? ClientCertificate { get; set; }

    /// <summary>
    /// Path of the server certificate (PEM) the agency's endpoint presents; the gateway delivers over TLS only to an
    /// endpoint that shows exactly this certificate. Relative paths are taken from the content root.
    /// </summary>
    public string? EndpointCertificate { get; set; }

    /// <summary><see cref="MessageKind"/> names the agency accepts; empty means every kind.</summary>
    public List<string> Accepts { get; set; } = [];
}
