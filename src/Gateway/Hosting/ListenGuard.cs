using System.Net;
using Gateway.Identity;

namespace Gateway.Hosting;

/// <summary>Development identity trusts a header, so the gateway must not be reachable from other machines in that mode.</summary>
public static class ListenGuard
{
    public static void EnsureSafe(IConfiguration configuration)
    {
        var mode = configuration[$"{IdentityOptions.Section}:Mode"] ?? "Development";
        if (!string.Equals(mode, "Development", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Gateway:Identity:Mode '{mode}' is not available yet; only 'Development' (loopback only) is implemented.");
        }

        var urls = (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? string.Empty));
        foreach (var url in urls)
        {
            if (!IsLoopback(url))
            {
                throw new InvalidOperationException(
                    $"Refusing to listen on '{url}': development identity trusts the '{IdentityOptions.AgencyHeader}' header and is allowed on loopback only (127.0.0.1, [::1], localhost).");
            }
        }
    }

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("*", "wildcard", StringComparison.Ordinal).Replace("+", "wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
