using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gateway.Core.Agencies;
using Gateway.Core.Routing;

namespace Gateway.Tests.Shared;

/// <summary>
/// The agencies of DESIGN.md section 2 and their route agreements: the directory of the sample configuration
/// (<c>src/Gateway/appsettings.json</c>, the one place they are written), read into the same options the gateway binds.
/// </summary>
public static class SampleDirectory
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private static readonly Lazy<string> SampleConfiguration = new(() => File.ReadAllText(RepositoryFile("src/Gateway/appsettings.json")));

    public static AgencyDirectory Create() => AgencyDirectory.FromOptions(CreateOptions());

    /// <summary>A provider whose snapshot is the sample directory, for code that reads the directory in effect.</summary>
    public static AgencyDirectoryProvider Provider() => new(Create());

    /// <summary>A fresh copy each time, so that a test may change it.</summary>
    public static DirectoryOptions CreateOptions() =>
        JsonNode.Parse(SampleConfiguration.Value)!["Gateway"]!["Directory"].Deserialize<DirectoryOptions>(Json)
        ?? throw new InvalidDataException("src/Gateway/appsettings.json has no Gateway:Directory section.");

    public static RouteAgreementOptions Route(string from, string to, string[] kinds, string maxHandling) =>
        new() { From = from, To = to, Kinds = [.. kinds], MaxHandling = maxHandling };

    /// <summary>A file of this repository, found from the build output by walking up to Gateway.sln.</summary>
    private static string RepositoryFile(string path)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Gateway.sln")))
        {
            folder = folder.Parent;
        }

        return folder is null
            ? throw new FileNotFoundException("Not run from this repository's build output: Gateway.sln is in no parent folder.", path)
            : Path.Combine(folder.FullName, path);
    }
}
