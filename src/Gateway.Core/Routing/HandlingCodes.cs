using Interagency.V1;

namespace Gateway.Core.Routing;

/// <summary>Handling codes as configuration writes them: <c>H0</c> (least restrictive) to <c>H3</c> (most).</summary>
public static class HandlingCodes
{
    public static bool TryParse(string? text, out HandlingCode code)
    {
        code = text switch
        {
            "H0" => HandlingCode.H0,
            "H1" => HandlingCode.H1,
            "H2" => HandlingCode.H2,
            "H3" => HandlingCode.H3,
            _ => HandlingCode.Unspecified,
        };
        return code != HandlingCode.Unspecified;
    }

    /// <summary>True when <paramref name="code"/> is a defined code no more restrictive than <paramref name="cap"/>.</summary>
    public static bool IsWithin(HandlingCode code, HandlingCode cap) =>
        (code is HandlingCode.H0 or HandlingCode.H1 or HandlingCode.H2 or HandlingCode.H3) && code <= cap;

    public static string Name(HandlingCode code) => code switch
    {
        HandlingCode.H0 => "H0",
        HandlingCode.H1 => "H1",
        HandlingCode.H2 => "H2",
        HandlingCode.H3 => "H3",
        _ => "unspecified",
    };
}
