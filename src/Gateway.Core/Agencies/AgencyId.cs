using System.Diagnostics.CodeAnalysis;

namespace Gateway.Core.Agencies;

/// <summary>
/// A police agency identified as COUNTRY/CODE, where COUNTRY is ISO 3166-1 alpha-2 or INT
/// for international bodies (e.g. <c>CN/FJPSD</c>, <c>RU/MVD</c>, <c>INT/IPSG</c>).
/// </summary>
public readonly record struct AgencyId
{
    private AgencyId(string country, string code)
    {
        Country = country;
        Code = code;
    }

    public string Country { get; }

    public string Code { get; }

    public static AgencyId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException("An agency id has the form COUNTRY/CODE, e.g. CN/MPS.");

    public static bool TryParse([NotNullWhen(true)] string? value, out AgencyId id)
    {
        id = default;
        if (value is null)
        {
            return false;
        }

        var slash = value.IndexOf('/');
        if (slash < 0 || slash != value.LastIndexOf('/'))
        {
            return false;
        }

        var country = value[..slash];
        var code = value[(slash + 1)..];
        if (!IsCountryPart(country) || !IsCodePart(code))
        {
            return false;
        }

        id = new AgencyId(country, code);
        return true;
    }

    /// <summary>True for a two-letter upper-case country code (not checked against ISO's assignments) or INT.</summary>
    public static bool IsCountryPart(string value) =>
        value == "INT" || (value.Length == 2 && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]));

    private static bool IsCodePart(string value) =>
        value.Length is >= 2 and <= 16
        && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');

    public override string ToString() => Country is null ? string.Empty : $"{Country}/{Code}";
}
