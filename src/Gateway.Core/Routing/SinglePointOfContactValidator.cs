using Gateway.Core.Agencies;

namespace Gateway.Core.Routing;

/// <summary>
/// Checks <see cref="DirectoryOptions.SinglePointsOfContact"/>: each names a country and an agency of that country in
/// the directory; a typo would otherwise copy requests nowhere, or abroad.
/// </summary>
public sealed class SinglePointOfContactValidator : IDirectoryValidator
{
    public IEnumerable<string> Validate(DirectoryOptions directory)
    {
        var known = directory.Agencies
            .Select(a => AgencyId.TryParse(a.Id, out var id) ? id : (AgencyId?)null)
            .OfType<AgencyId>()
            .ToHashSet();
        foreach (var (country, agency) in directory.SinglePointsOfContact)
        {
            if (!CountryCodes.IsAgencyCountry(country))
            {
                yield return $"SinglePointsOfContact: '{country}' is not a country code (ISO 3166-1 alpha-2, e.g. RU).";
            }
            else if (!AgencyId.TryParse(agency, out var id) || !known.Contains(id))
            {
                yield return $"SinglePointsOfContact: the single point of contact of {country} must be an agency in the directory.";
            }
            else if (id.Country != country)
            {
                yield return $"SinglePointsOfContact: the single point of contact of {country} must be an agency of {country}, not of {id.Country}.";
            }
        }
    }
}
