using Microsoft.Extensions.Options;

namespace Gateway.Core.Agencies;

/// <summary>Checks the configured directory at start-up, so a typo fails fast instead of misrouting.</summary>
public sealed class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agency in options.Agencies)
        {
            if (!AgencyId.TryParse(agency.Id, out var id) || !CountryCodes.IsAgencyCountry(id.Country))
            {
                failures.Add($"Agency id '{agency.Id}' is not COUNTRY/CODE with an ISO 3166-1 alpha-2 country or INT.");
                continue;
            }

            if (!seen.Add(agency.Id))
            {
                failures.Add($"Agency '{agency.Id}' is listed twice.");
            }

            if (!Enum.IsDefined(agency.Kind))
            {
                failures.Add($"Agency '{agency.Id}' needs a Kind: Domestic, LiaisonOffice, ForeignPartner or InterpolNcb.");
            }

            if (agency.PostedIn is not null && (agency.Kind != AgencyKind.LiaisonOffice || !CountryCodes.IsAssigned(agency.PostedIn)))
            {
                failures.Add($"Agency '{agency.Id}': PostedIn is for liaison offices and names an ISO 3166-1 alpha-2 country.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
