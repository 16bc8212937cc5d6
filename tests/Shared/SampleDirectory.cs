using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;

namespace Gateway.Tests.Shared;

/// <summary>
/// The agencies of DESIGN.md section 2 and their route agreements, as the sample configuration
/// (<c>src/Gateway/appsettings.json</c>) lists them, built through the same options.
/// </summary>
public static class SampleDirectory
{
    private static readonly MessageKind[] All =
        [MessageKind.Referral, MessageKind.LocationRequest, MessageKind.LocationReport, MessageKind.Withdrawal, MessageKind.CaseUpdate];

    private static readonly string[] Addressed = ["Referral", "LocationRequest", "CaseUpdate"];

    public static AgencyDirectory Create() => AgencyDirectory.FromOptions(CreateOptions());

    /// <summary>A provider whose snapshot is the sample directory, for code that reads the directory in effect.</summary>
    public static AgencyDirectoryProvider Provider() => new(Create());

    public static DirectoryOptions CreateOptions() => new()
    {
        Agencies =
        [
            Agency("CN/MPS", "Ministry of Public Security", AgencyKind.Domestic, All, 5091),
            Agency("CN/FJPSD", "Fujian Provincial Public Security Department", AgencyKind.Domestic, [], 5092),
            Agency("CN/NCB", "Interpol NCB Beijing", AgencyKind.InterpolNcb, [MessageKind.LocationRequest, MessageKind.LocationReport, MessageKind.Withdrawal], 5093),
            Agency("CN/PLO-RU", "Police liaison office, embassy in Moscow", AgencyKind.LiaisonOffice, [], 5094, "RU"),
            Agency("CN/PLO-TH", "Police liaison office, embassy in Bangkok", AgencyKind.LiaisonOffice, [], 5095, "TH"),
            Agency("RU/MVD", "Ministry of Internal Affairs of Russia", AgencyKind.ForeignPartner, All, 5096),
            Agency("AR/PFA", "Policia Federal Argentina", AgencyKind.ForeignPartner, All, 5097),
            Agency("US/FBI", "Federal Bureau of Investigation", AgencyKind.ForeignPartner, All, 5098),
        ],
        Routes =
        [
            Route("Domestic", "CN", Addressed, "H3"),
            Route("LiaisonOffice", "CN", Addressed, "H3"),
            Route("CN/NCB", "CN", Addressed, "H3"),
            Route("Domestic", "ForeignPartner", ["LocationRequest"], "H2"),
            Route("Domestic", "InterpolNcb", ["LocationRequest"], "H3"),
            Route("ForeignPartner", "Domestic", ["Referral", "CaseUpdate"], "H2"),
            Route("ForeignPartner", "LiaisonOffice", ["Referral", "CaseUpdate"], "H2"),
        ],
    };

    public static RouteAgreementOptions Route(string from, string to, string[] kinds, string maxHandling) =>
        new() { From = from, To = to, Kinds = [.. kinds], MaxHandling = maxHandling };

    private static AgencyOptions Agency(
        string id, string name, AgencyKind kind, MessageKind[] competentFor, int port, string? postedIn = null) =>
        new()
        {
            Id = id,
            Name = name,
            Kind = kind.ToString(),
            CompetentFor = [.. competentFor.Select(k => k.ToString())],
            PostedIn = postedIn,
            Endpoint = $"http://127.0.0.1:{port}",
        };
}
