using Gateway.Core.Intake;

namespace Gateway.Core.Agencies;

/// <summary>An agency known to the directory.</summary>
/// <param name="Id">The agency's identifier.</param>
/// <param name="Name">Human-readable name, for operators.</param>
/// <param name="Kind">Domestic, liaison office, foreign partner or Interpol NCB.</param>
/// <param name="CompetentFor">Message kinds for which this agency is its country's competent agency.</param>
/// <param name="PostedIn">For a liaison office: the country it is posted in, whose traffic it can carry.</param>
public sealed record Agency(
    AgencyId Id,
    string Name,
    AgencyKind Kind,
    IReadOnlySet<MessageKind> CompetentFor,
    string? PostedIn)
{
    /// <summary>The agency's <c>AgencyEndpointService</c> address; null when the gateway cannot deliver to it.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Path of the agency's registered client certificate (PEM), as configured; null when none is registered.</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>Path of the server certificate (PEM) the agency's endpoint must present, as configured; null when none is registered.</summary>
    public string? EndpointCertificate { get; init; }

    /// <summary>Message kinds the agency accepts; null means every kind.</summary>
    public IReadOnlySet<MessageKind>? Accepts { get; init; }

    public bool AcceptsKind(MessageKind kind) => Accepts is null || Accepts.Contains(kind);
}
