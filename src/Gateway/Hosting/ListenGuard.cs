using System.Net;
using Gateway.Identity;

namespace Gateway.Hosting;

/// <summary>
/// Where the gateway may listen, by identity mode. Development identity trusts a header, so in that mode the gateway
/// must not be reachable from other machines: it listens on loopback IP addresses (127.0.0.0/8, ::1) or on
/// <c>localhost</c>, which Kestrel binds as 127.0.0.1 and ::1, and on nothing else. A host name, even one that resolves
/// to loopback, makes Kestrel listen on every interface. Mutual TLS identifies agencies by their certificates, so it
/// may listen anywhere, but over HTTPS only: a plaintext listener would carry calls no certificate identifies.
/// </summary>
public static class ListenGuard
{
    /// <summary>
    /// Refuses, before anything is bound, an identity mode that does not exist and a configured address the mode may
    /// not listen on, naming the setting it came from; returns the mode. Kestrel can still be given addresses this does
    /// not see (in code, say): <see cref="EnsureBound"/> checks what it actually bound.
    /// </summary>
    public static string EnsureSafe(IConfiguration configuration)
    {
        var mode = IdentityOptions.Mode(configuration);
        if (IdentityOptions.IsMutualTls(configuration))
        {
            foreach (var (setting, address) in ConfiguredAddresses(configuration))
            {
                if (!IsHttps(address))
                {
                    throw PlaintextRefusal($"'{address}' (from {setting})");
                }
            }

            return IdentityOptions.MutualTlsMode;
        }

        if (!string.Equals(mode, IdentityOptions.DevelopmentMode, StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayConfigurationException(
                $"{IdentityOptions.Section}:Mode '{mode}' is not an identity mode; use '{IdentityOptions.MutualTlsMode}' or '{IdentityOptions.DevelopmentMode}' (loopback only).");
        }

        foreach (var (setting, address) in ConfiguredAddresses(configuration))
        {
            if (!IsLoopback(address))
            {
                throw Refusal($"'{address}' (from {setting})");
            }
        }

        return IdentityOptions.DevelopmentMode;
    }

    /// <summary>Refuses the addresses the server bound unless the mode may listen on every one.</summary>
    public static void EnsureBound(string mode, IEnumerable<string> boundAddresses)
    {
        if (mode == IdentityOptions.MutualTlsMode)
        {
            var plaintext = boundAddresses.Where(a => !IsHttps(a)).ToList();
            if (plaintext.Count > 0)
            {
                throw PlaintextRefusal(string.Join(", ", plaintext) + " (as bound)");
            }

            return;
        }

        EnsureBoundToLoopback(boundAddresses);
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

    /// <summary>An <c>https</c> address; a Unix socket or a named pipe is not one, whatever it says.</summary>
    public static bool IsHttps(string address)
    {
        try
        {
            var parsed = BindingAddress.Parse(address);
            return !parsed.IsUnixPipe && !parsed.IsNamedPipe && string.Equals(parsed.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        }
        catch (FormatException)
        {
            return false;
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

    private static GatewayConfigurationException PlaintextRefusal(string what) => new(
        $"Refusing to listen on {what}: in {IdentityOptions.MutualTlsMode} mode agencies are identified by their client certificates, so the gateway listens over HTTPS only. "
        + "Give --urls https://<address>:<port>.");
}
