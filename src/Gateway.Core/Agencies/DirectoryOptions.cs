using Gateway.Core.Intake;
using Gateway.Core.Routing;

namespace Gateway.Core.Agencies;

/// <summary>The agency directory as configured (section <c>Gateway:Directory</c>).</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Gateway:Directory";

    public List<AgencyOptions> Agencies { get; set; } = [];

    /// <summary>Route agreements, in the order operators see them; a route no agreement covers is refused.</summary>
    public List<RouteAgreementOptions> Routes { get; set; } = [];
}

/// <summary>One agency of the configured directory.</summary>
public sealed class AgencyOptions
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public AgencyKind Kind { get; set; }

    public List<MessageKind> CompetentFor { get; set; } = [];

    public string? PostedIn { get; set; }

    /// <summary>Absolute http(s) URL of the agency's <c>AgencyEndpointService</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Message kinds the agency accepts; empty means every kind.</summary>
    public List<MessageKind> Accepts { get; set; } = [];
}
