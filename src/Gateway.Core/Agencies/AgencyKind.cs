namespace Gateway.Core.Agencies;

/// <summary>What kind of organisation an agency is; routing falls back by kind.</summary>
public enum AgencyKind
{
    Domestic = 1,
    LiaisonOffice = 2,
    ForeignPartner = 3,
    InterpolNcb = 4,
}
