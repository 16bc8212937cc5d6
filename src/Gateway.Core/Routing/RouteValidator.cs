using Gateway.Core.Agencies;

namespace Gateway.Core.Routing;

/// <summary>
/// Checks each configured route agreement on its own, and that no two share an id: a typo in a route would otherwise
/// silently deny (or allow) traffic. Each failure names the entry it is in.
/// </summary>
public sealed class RouteValidator : IDirectoryValidator
{
    public IEnumerable<string> Validate(DirectoryOptions directory)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < directory.Routes.Count; i++)
        {
            var route = directory.Routes[i];
            foreach (var problem in RouteAgreementReader.TryRead(route, out _))
            {
                yield return $"{RouteAgreementReader.Describe(i, route)}: {problem}";
            }

            if (!ids.Add(RouteAgreementReader.IdOf(route)))
            {
                yield return $"{RouteAgreementReader.Describe(i, route)}: another route has the id '{RouteAgreementReader.IdOf(route)}'; give each route between the same parties an Id of its own.";
            }
        }
    }
}
