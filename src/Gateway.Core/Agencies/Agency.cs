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
    string? PostedIn);
