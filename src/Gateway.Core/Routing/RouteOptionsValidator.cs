using Gateway.Core.Agencies;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Routing;

/// <summary>
/// Checks the configured route agreements at start-up: a typo in a route would otherwise silently deny (or allow)
/// traffic. Each failure names the entry it is in.
/// </summary>
public sealed class RouteOptionsValidator : IValidateOptions<DirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        var known = KnownAgencies(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            foreach (var problem in RouteAgreementReader.TryRead(route, known, out _))
            {
                failures.Add($"{RouteAgreementReader.Describe(i, route)}: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static HashSet<AgencyId> KnownAgencies(DirectoryOptions options) =>
        options.Agencies.Select(a => AgencyId.TryParse(a.Id, out var id) ? id : (AgencyId?)null)
            .OfType<AgencyId>()
            .ToHashSet();
}
