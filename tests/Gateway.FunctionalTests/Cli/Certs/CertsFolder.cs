namespace Gateway.FunctionalTests.Cli.Certs;

/// <summary>A temporary folder that <c>gatewayctl certs init</c> fills from the sample directory, deleted after the test.</summary>
internal sealed class CertsFolder : IDisposable
{
    /// <summary>The shipped configuration, whose directory is the sample one.</summary>
    public static readonly string SampleSettings = RepositoryFile("src/Gateway/appsettings.json");

    private CertsFolder(string path) => Path = path;

    public string Path { get; }

    public string Configuration => In("production.json");

    /// <summary>Runs certs init into a new folder; fails the test unless it succeeded.</summary>
    public static async Task<CertsFolder> InitAsync()
    {
        var folder = new CertsFolder(Directory.CreateTempSubdirectory("gatewayctl-certs-").FullName);
        var run = await Gatewayctl.RunAsync("certs", "init", "--dir", folder.Path, "--directory", SampleSettings);
        Assert.True(run.ExitCode == 0, run.Error);
        return folder;
    }

    public string In(string relative) => System.IO.Path.Combine(Path, relative);

    private static string RepositoryFile(string relative)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(System.IO.Path.Combine(folder.FullName, "Gateway.sln")))
        {
            folder = folder.Parent ?? throw new InvalidOperationException("The tests run outside the repository: no Gateway.sln above them.");
        }

        return System.IO.Path.Combine(folder.FullName, relative);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
