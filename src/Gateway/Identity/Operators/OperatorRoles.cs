using System.Security.Claims;
using System.Text.Json;

namespace Gateway.Identity.Operators;

/// <summary>The operator roles the gateway knows, and how they are read from a token's claims.</summary>
public static class OperatorRoles
{
    /// <summary>Reads, traces, searches and watches every agency's messages, reads content with a reason, replays dead letters.</summary>
    public const string DutyOperator = "duty-operator";

    /// <summary>Lists and reviews the messages held for human review.</summary>
    public const string LegalReviewer = "legal-reviewer";

    /// <summary>
    /// The role values under <paramref name="roleClaim"/>: a top-level claim (an array of strings, one claim per value, or a
    /// single string), or with dots a path into a JSON object claim, as Keycloak's <c>realm_access.roles</c> and
    /// <c>resource_access.CLIENT.roles</c>. Values that are not strings are ignored.
    /// </summary>
    public static IReadOnlySet<string> From(IEnumerable<Claim> claims, string roleClaim)
    {
        var path = roleClaim.Split('.');
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in claims.Where(c => c.Type == path[0]))
        {
            if (path.Length == 1)
            {
                roles.Add(claim.Value);
                continue;
            }

            AddNested(roles, claim.Value, path.AsSpan(1));
        }

        return roles;
    }

    private static void AddNested(HashSet<string> roles, string json, ReadOnlySpan<string> path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var element = document.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return;
                }
            }

            if (element.ValueKind == JsonValueKind.String)
            {
                roles.Add(element.GetString()!);
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                roles.UnionWith(element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
            }
        }
    }
}
