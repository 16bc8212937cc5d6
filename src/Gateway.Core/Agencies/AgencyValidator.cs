using Gateway.Core.Intake;

namespace Gateway.Core.Agencies;

/// <summary>Checks each configured agency on its own and that no id is listed twice, so a typo is refused instead of misrouting.</summary>
public sealed class AgencyValidator : IDirectoryValidator
{
    public IEnumerable<string> Validate(DirectoryOptions directory)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agency in directory.Agencies)
        {
            if (!AgencyId.TryParse(agency.Id, out var id) || !CountryCodes.IsAgencyCountry(id.Country))
            {
                yield return $"Agency id '{agency.Id}' is not COUNTRY/CODE with an ISO 3166-1 alpha-2 country or INT.";
                continue;
            }

            if (!seen.Add(agency.Id))
            {
                yield return $"Agency '{agency.Id}' is listed twice.";
            }

            if (!ConfiguredNames.TryParse<AgencyKind>(agency.Kind, out var kind))
            {
                yield return $"Agency '{agency.Id}' needs a Kind: {ConfiguredNames.List<AgencyKind>()}.";
            }

            foreach (var (field, kinds) in new[] { ("CompetentFor", agency.CompetentFor), ("Accepts", agency.Accepts) })
            {
                foreach (var text in kinds.Where(k => !ConfiguredNames.TryParse<MessageKind>(k, out _)))
                {
                    yield return $"Agency '{agency.Id}': {field}: '{text}' is not a message kind; use {ConfiguredNames.List<MessageKind>()}.";
                }
            }

            if (agency.PostedIn is not null && (kind != AgencyKind.LiaisonOffice || !CountryCodes.IsAssigned(agency.PostedIn)))
            {
                yield return $"Agency '{agency.Id}': PostedIn is for liaison offices and names an ISO 3166-1 alpha-2 country.";
            }

            if (!string.IsNullOrEmpty(agency.Endpoint) && !IsHttpUrl(agency.Endpoint))
            {
                yield return $"Agency '{agency.Id}': Endpoint must be an absolute http or https URL, e.g. http://127.0.0.1:5091.";
            }
        }
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
