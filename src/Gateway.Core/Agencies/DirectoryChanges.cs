using Gateway.Core.Routing;

namespace Gateway.Core.Agencies;

/// <summary>
/// What a new snapshot changed against the one it replaces, by id only: agencies by agency id, route agreements by
/// their id. An entry whose id stayed but whose content did not is changed. Each list is in ordinal order.
/// </summary>
public sealed record DirectoryChanges(
    IReadOnlyList<string> AgenciesAdded,
    IReadOnlyList<string> AgenciesRemoved,
    IReadOnlyList<string> AgenciesChanged,
    IReadOnlyList<string> RoutesAdded,
    IReadOnlyList<string> RoutesRemoved,
    IReadOnlyList<string> RoutesChanged)
{
    /// <summary>The changes from <paramref name="before"/> (null: no directory yet, so everything is added) to <paramref name="after"/>.</summary>
    public static DirectoryChanges Between(AgencyDirectory? before, AgencyDirectory after)
    {
        var (agenciesAdded, agenciesRemoved, agenciesChanged) = Compare(
            before?.Agencies.ToDictionary(a => a.Id.ToString(), DirectoryCanonicalForm.Of) ?? [],
            after.Agencies.ToDictionary(a => a.Id.ToString(), DirectoryCanonicalForm.Of));
        var (routesAdded, routesRemoved, routesChanged) = Compare(
            before is null ? [] : Routes(before.Routes),
            Routes(after.Routes));
        return new DirectoryChanges(agenciesAdded, agenciesRemoved, agenciesChanged, routesAdded, routesRemoved, routesChanged);
    }

    // A validated directory has unique route ids; a table built in code may not, and then the entries sharing an id
    // compare as one.
    private static Dictionary<string, string> Routes(RouteTable routes) =>
        routes.Agreements.GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Concat(g.Select(DirectoryCanonicalForm.Of)), StringComparer.Ordinal);

    private static (string[] Added, string[] Removed, string[] Changed) Compare(
        Dictionary<string, string> before, Dictionary<string, string> after) =>
    (
        [.. after.Keys.Where(id => !before.ContainsKey(id)).Order(StringComparer.Ordinal)],
        [.. before.Keys.Where(id => !after.ContainsKey(id)).Order(StringComparer.Ordinal)],
        [.. after.Where(e => before.TryGetValue(e.Key, out var old) && old != e.Value).Select(e => e.Key).Order(StringComparer.Ordinal)]
    );
}
