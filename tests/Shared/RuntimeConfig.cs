using System.Text.Json;

namespace Gateway.Tests.Shared;

/// <summary>Reads the shared frameworks an app's <c>*.runtimeconfig.json</c> asks the .NET host for.</summary>
internal static class RuntimeConfig
{
    public static IReadOnlyList<string> Frameworks(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var options = document.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var several) ? several.EnumerateArray().ToList() : [options.GetProperty("framework")];
        return frameworks.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
    }
}
