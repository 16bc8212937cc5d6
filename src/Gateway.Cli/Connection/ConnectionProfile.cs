using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Cli.Certs;

namespace Gateway.Cli.Connection;

/// <summary>
/// What <c>--profile</c> takes from a production.json written by <c>certs init</c>: the CAs to verify the gateway
/// with (its agency trust anchors: the test PKI has one CA for everything) and each agency's registered client
/// certificate, whose key lies beside it. Relative paths are taken from the profile's folder.
/// </summary>
internal sealed class ConnectionProfile
{
    private readonly string _path;
    private readonly Dictionary<string, string> _clientCertificates;

    private ConnectionProfile(string path, IReadOnlyList<string> trustAnchors, Dictionary<string, string> clientCertificates)
    {
        _path = path;
        TrustAnchors = trustAnchors;
        _clientCertificates = clientCertificates;
    }

    public IReadOnlyList<string> TrustAnchors { get; }

    public static ConnectionProfile Load(string path)
    {
        JsonNode? gateway;
        try
        {
            gateway = JsonNode.Parse(File.ReadAllText(path))?["Gateway"];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"--profile '{path}' cannot be read: {error.Message}");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string file) => Path.GetFullPath(file, folder);
        var anchors = gateway?["Identity"]?["AgencyTrustAnchors"] as JsonArray;
        if (anchors is null || anchors.Count == 0)
        {
            throw new UsageException($"--profile '{path}' has no Gateway:Identity:AgencyTrustAnchors: is it a production.json written by certs init?");
        }

        var certificates = (gateway?["Directory"]?["Agencies"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(a => a["Id"] is not null && a["ClientCertificate"] is not null)
            .ToDictionary(a => a["Id"]!.GetValue<string>(), a => Resolve(a["ClientCertificate"]!.GetValue<string>()), StringComparer.Ordinal);
        return new ConnectionProfile(path, [.. anchors.Select(a => Resolve(a!.GetValue<string>()))], certificates);
    }

    /// <summary>The agency's client certificate and the key certs init wrote beside it.</summary>
    public KeyPair ClientCertificateOf(string agency) =>
        _clientCertificates.TryGetValue(agency, out var certificate)
            ? new KeyPair(certificate, CertsLayout.KeyBeside(certificate))
            : throw new UsageException($"--profile '{_path}' has no client certificate for agency '{agency}' (--as)");
}
