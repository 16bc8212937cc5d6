using Gateway.Core.Agencies;

namespace Gateway.Core.Routing;

/// <summary>
/// One side of a route agreement as configured: an agency id (<c>CN/MPS</c>), a country (<c>RU</c>, recipients only),
/// an agency kind (<c>ForeignPartner</c>) or <c>*</c> for any agency.
/// </summary>
public sealed record PartyPattern
{
    public const string AnyText = "*";

    public static readonly PartyPattern Any = new(AnyText, null, null, null);

    private readonly AgencyId? _agency;
    private readonly string? _country;
    private readonly AgencyKind? _kind;

    private PartyPattern(string text, AgencyId? agency, string? country, AgencyKind? kind)
    {
        Text = text;
        _agency = agency;
        _country = country;
        _kind = kind;
    }

    /// <summary>The pattern as written in the configuration.</summary>
    public string Text { get; }

    /// <summary>The agency the pattern names, when it names one.</summary>
    public AgencyId? NamedAgency => _agency;

    public static PartyPattern ForAgency(AgencyId id) => new(id.ToString(), id, null, null);

    public static PartyPattern ForCountry(string country) => new(country, null, country, null);

    public static PartyPattern ForKind(AgencyKind kind) => new(kind.ToString(), null, null, kind);

    /// <summary>Reads a sender pattern: an agency id, an agency kind or <c>*</c>.</summary>
    public static bool TryParseSender(string? text, out PartyPattern pattern) => TryParse(text, allowCountry: false, out pattern);

    /// <summary>Reads a recipient pattern: an agency id, a country, an agency kind or <c>*</c>.</summary>
    public static bool TryParseRecipient(string? text, out PartyPattern pattern) => TryParse(text, allowCountry: true, out pattern);

    /// <summary>A country pattern matches the agencies whose id carries that country (<c>CN/PLO-RU</c> is in CN).</summary>
    public bool Matches(Agency agency) =>
        _agency is { } id ? agency.Id == id
        : _country is { } country ? agency.Id.Country == country
        : _kind is not { } kind || agency.Kind == kind;

    public override string ToString() => Text;

    private static bool TryParse(string? text, bool allowCountry, out PartyPattern pattern)
    {
        pattern = Any;
        if (text == AnyText)
        {
            return true;
        }

        if (AgencyId.TryParse(text, out var id) && CountryCodes.IsAgencyCountry(id.Country))
        {
            pattern = ForAgency(id);
            return true;
        }

        if (allowCountry && text is not null && CountryCodes.IsAgencyCountry(text))
        {
            pattern = ForCountry(text);
            return true;
        }

        if (ConfiguredNames.TryParse<AgencyKind>(text, out var kind))
        {
            pattern = ForKind(kind);
            return true;
        }

        return false;
    }
}
