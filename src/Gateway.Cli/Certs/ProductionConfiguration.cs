using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Cli.Certs;

/// <summary>
/// The configuration <c>certs init</c> writes: the Gateway:Identity, Operators, Encryption, Receipts and Directory
/// sections in the shape the gateway binds, every path absolute, so that the file works from any content root.
/// </summary>
internal static class ProductionConfiguration
{
    /// <summary>The issuer of the tokens <c>token mint</c> makes for this configuration; no SSO answers to it.</summary>
    public const string Issuer = "urn:liaison-gateway:test-operators";

    public const string Audience = "liaison-gateway";

    public const string RoleClaim = "roles";

    public const string DataKeyId = "k1";

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// The directory in <paramref name="path"/>: its Gateway:Directory section (an appsettings.json) or, for a
    /// Gateway:DirectoryFile, the file itself.
    /// </summary>
    public static JsonObject ReadDirectory(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: Lenient);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"--directory '{path}' cannot be read: {error.Message}");
        }

        var directory = root?["Gateway"]?["Directory"] as JsonObject ?? (root?["Agencies"] is not null ? root as JsonObject : null);
        if (directory?["Agencies"] is not JsonArray { Count: > 0 } agencies
            || agencies.Any(a => a?["Id"]?.GetValueKind() != JsonValueKind.String))
        {
            throw new UsageException($"--directory '{path}' holds no Gateway:Directory:Agencies with an Id each (an appsettings.json or a Gateway:DirectoryFile)");
        }

        return directory;
    }

    public static IReadOnlyList<string> AgencyIds(JsonObject directory) =>
        [.. directory["Agencies"]!.AsArray().Select(a => a!["Id"]!.GetValue<string>())];

    /// <summary>The whole file: the identity and key sections, and <paramref name="directory"/> with https endpoints and each agency's certificates.</summary>
    public static JsonObject Create(CertsLayout layout, JsonObject directory)
    {
        var agencies = (JsonObject)directory.DeepClone();
        foreach (var agency in agencies["Agencies"]!.AsArray().OfType<JsonObject>())
        {
            var id = agency["Id"]!.GetValue<string>();
            if (agency["Endpoint"]?.GetValue<string>() is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                agency["Endpoint"] = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri.ToString().TrimEnd('/');
            }

            agency["ClientCertificate"] = layout.AgencyClient(id).Certificate;
            agency["EndpointCertificate"] = layout.AgencyEndpoint(id).Certificate;
        }

        return new JsonObject
        {
            ["Gateway"] = new JsonObject
            {
                ["Identity"] = new JsonObject
                {
                    ["Mode"] = "MutualTls",
                    ["ServerCertificate"] = Pair(layout.GatewayServer),
                    ["AgencyTrustAnchors"] = new JsonArray(layout.Authority.Certificate),
                    ["RevocationLists"] = new JsonArray(layout.RevocationList),
                    ["ClientCertificate"] = Pair(layout.GatewayClient),
                    ["EndpointTrustAnchors"] = new JsonArray(layout.Authority.Certificate),
                },
                ["Operators"] = new JsonObject
                {
                    ["Mode"] = "Jwt",
                    ["Jwt"] = new JsonObject
                    {
                        ["Issuer"] = Issuer,
                        ["Audience"] = Audience,
                        ["SigningKeys"] = new JsonArray(layout.OperatorSigningPublicKey),
                        ["RoleClaim"] = RoleClaim,
                    },
                },
                ["Encryption"] = new JsonObject
                {
                    ["ActiveKey"] = DataKeyId,
                    ["Keys"] = new JsonArray(new JsonObject { ["Id"] = DataKeyId, ["Path"] = layout.DataKey }),
                },
                ["Receipts"] = new JsonObject { ["SigningKeyPath"] = layout.ReceiptSigningKey },
                ["Directory"] = agencies,
            },
        };
    }

    public static void Write(string path, JsonObject configuration) =>
        File.WriteAllText(path, configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

    private static JsonObject Pair(KeyPair pair) => new() { ["CertificatePath"] = pair.Certificate, ["KeyPath"] = pair.Key };
}
