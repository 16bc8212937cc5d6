using Gateway.Core.Agencies;

namespace Gateway.Core.Routing;

/// <summary>
/// Checks the references between the two lists: an agency a route names must be in the directory, or the route would
/// never match (a sender) or never be reachable (a recipient).
/// </summary>
public sealed class RouteReferenceValidator : IDirectoryValidator
{
    public IEnumerable<string> Validate(DirectoryOptions directory)
    {
        var known = directory.Agencies
            .Select(a => AgencyId.TryParse(a.Id, out var id) ? id : (AgencyId?)null)
            .OfType<AgencyId>()
            .ToHashSet();
        for (var i = 0; i < directory.Routes.Count; i++)
        {
            var route = directory.Routes[i];
            if (PartyPattern.TryParseSender(route.From, out var from) && from.NamedAgency is { } sender && !known.Contains(sender))
            {
                yield return $"{RouteAgreementReader.Describe(i, route)}: From names agency '{sender}', which is not in the directory.";
            }

            if (PartyPattern.TryParseRecipient(route.To, out var to) && to.NamedAgency is { } recipient && !known.Contains(recipient))
            {
                yield return $"{RouteAgreementReader.Describe(i, route)}: To names agency '{recipient}', which is not in the directory.";
            }
        }
    }
}
