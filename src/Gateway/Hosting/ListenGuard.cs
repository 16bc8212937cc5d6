using System.Net;
using Gateway.Identity;

namespace Gateway.Hosting;

/// <summary>
/// Development identity trusts a header, so in that mode the gateway must not be reachable from other machines: it
/// listens on loopback IP addresses (127.0.0.0/8, ::1) or on <c>localhost</c>, which Kestrel binds as 127.0.0.1 and
/// ::1, and on nothing else. A host name, even one that resolves to loopback, makes Kestrel listen on every interface.
/// </summary>
public static class ListenGuard
{
    /// <summary>
    /// Refuses, before anything is bound, an identity mode that does not exist and a configured address beyond loopback,
    /// naming the setting it came from. Kestrel can still be given addresses this does not see (in code, say):
    /// <see cref="EnsureBoundToLoopback"/> checks what it actually bound.
    /// </summary>
    public static void EnsureSafe(IConfiguration configuration)
    {
        var mode = configuration[$"{IdentityOptions.Section}:Mode"] ?? IdentityOptions.DevelopmentMode;
        if (!string.Equals(mode, IdentityOptions.DevelopmentMode, StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayConfigurationException(
                $"{IdentityOptions.Section}:Mode '{mode}' is not available yet; only '{IdentityOptions.DevelopmentMode}' (loopback only) is implemented.");
        }

        foreach (var (setting, address) in ConfiguredAddresses(configuration))
        {
            if (!IsLoopback(address))
            {
                throw Refusal($"'{address}' (from {setting})");
            }
        }
    }

    /// <summary>Refuses the addresses the server bound unless every one is loopback.</summary>
    public static void EnsureBoundToLoopback(IEnumerable<string> boundAddresses)
    {
        var beyond = boundAddresses.Where(a => !IsLoopback(a)).ToList();
        if (beyond.Count > 0)
        {
            throw Refusal(string.Join(", ", beyond) + " (as bound)");
        }
    }

    /// <summary>A loopback IP address or <c>localhost</c>; anything else, a Unix socket included, is not.</summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (parsed.IsUnixPipe || parsed.IsNamedPipe)
        {
            return false;
        }

        // Kestrel treats exactly "localhost" as 127.0.0.1 plus ::1; every other name, "loopback" too, as all interfaces.
        return string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(parsed.Host.TrimStart('[').TrimEnd(']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>
    /// Every address the host or Kestrel would read from configuration: <c>urls</c>, or when that is empty the
    /// <c>http_ports</c> and <c>https_ports</c> (bound on all interfaces), and the URLs of <c>Kestrel:Endpoints</c>.
    /// </summary>
    private static IEnumerable<(string Setting, string Address)> ConfiguredAddresses(IConfiguration configuration)
    {
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]).ToList();
        foreach (var url in urls)
        {
            yield return (WebHostDefaults.ServerUrlsKey, url);
        }

        if (urls.Count == 0)
        {
            foreach (var port in Split(configuration[WebHostDefaults.HttpPortsKey]))
            {
                yield return (WebHostDefaults.HttpPortsKey, $"http://*:{port}");
            }

            foreach (var port in Split(configuration[WebHostDefaults.HttpsPortsKey]))
            {
                yield return (WebHostDefaults.HttpsPortsKey, $"https://*:{port}");
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            yield return ($"Kestrel:Endpoints:{endpoint.Key}:Url", endpoint["Url"] ?? string.Empty);
        }
    }

    private static string[] Split(string? value) =>
        (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static GatewayConfigurationException Refusal(string what) => new(
        $"Refusing to listen on {what}: development identity trusts the '{IdentityOptions.AgencyHeader}' header, so the gateway listens on loopback only. "
        + "Give --urls http://127.0.0.1:<port>, http://[::1]:<port> or http://localhost:<port>.");
}
