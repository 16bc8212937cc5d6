using Gateway.Core.Agencies;
using Gateway.Core.Intake;

namespace Gateway.Tests.Shared;

/// <summary>The agencies of DESIGN.md section 2, as the sample configuration lists them.</summary>
public static class SampleDirectory
{
    private static readonly MessageKind[] All = Enum.GetValues<MessageKind>();

    public static AgencyDirectory Create() => new(
    [
        Agency("CN/MPS", AgencyKind.Domestic, All),
        Agency("CN/FJPSD", AgencyKind.Domestic, []),
        Agency("CN/NCB", AgencyKind.InterpolNcb, [MessageKind.LocationRequest, MessageKind.LocationReport, MessageKind.Withdrawal]),
        Agency("CN/PLO-RU", AgencyKind.LiaisonOffice, [], "RU"),
        Agency("CN/PLO-TH", AgencyKind.LiaisonOffice, [], "TH"),
        Agency("RU/MVD", AgencyKind.ForeignPartner, All),
        Agency("AR/PFA", AgencyKind.ForeignPartner, All),
        Agency("US/FBI", AgencyKind.ForeignPartner, All),
    ]);

    private static Agency Agency(string id, AgencyKind kind, MessageKind[] competentFor, string? postedIn = null) =>
        new(AgencyId.Parse(id), id, kind, competentFor.ToHashSet(), postedIn);
}
