using System.Diagnostics;

namespace Gateway.Cli.Demo;

/// <summary>
/// The gateway and PartnerSim the demo runs: the build outputs of the repository gatewayctl belongs to, in the
/// configuration gatewayctl was built in, so that <c>dotnet run --project src/Gateway.Cli -- demo</c> runs the code of
/// the same checkout. Built with <c>dotnet build</c> when an output is missing; an output that exists is used as it is
/// (a rebuild on every run would cost more than the demo itself).
/// </summary>
internal sealed class RepositoryBuilds
{
    private const string SolutionFile = "Gateway.sln";
    private const string TargetFramework = "net10.0";

    private RepositoryBuilds(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    /// <summary>The folder of Gateway.sln.</summary>
    public string Root { get; }

    /// <summary>The build configuration used, e.g. Debug.</summary>
    public string Configuration { get; }

    public string GatewayDll => Output("Gateway", "Gateway.dll");

    public string PartnerSimDll => Output("Gateway.PartnerSim", "Gateway.PartnerSim.dll");

    /// <summary>The gateway's shipped configuration, whose directory the demo points at its PartnerSims.</summary>
    public string GatewaySettings => Output("Gateway", "appsettings.json");

    /// <summary>
    /// Finds the repository: <paramref name="root"/> when given, else the first folder holding Gateway.sln above
    /// gatewayctl's own location, else above the current directory (a gatewayctl installed as a tool runs from
    /// elsewhere). The configuration is gatewayctl's own when it runs from a build output, else Debug.
    /// </summary>
    public static RepositoryBuilds Locate(string? root)
    {
        var found = root is not null
            ? (File.Exists(Path.Combine(root, SolutionFile)) ? Path.GetFullPath(root) : throw new DemoException($"--repository '{root}' holds no {SolutionFile}."))
            : FindRoot(AppContext.BaseDirectory) ?? FindRoot(Directory.GetCurrentDirectory())
                ?? throw new DemoException($"No {SolutionFile} above gatewayctl or the current directory: run the demo from a checkout of the repository, or give --repository DIR.");

        // gatewayctl's own output is bin/<Configuration>/net10.0/ when it was built in this repository.
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = own.Name == TargetFramework && own.Parent?.Parent?.Name == "bin" && own.FullName.StartsWith(found, StringComparison.Ordinal)
            ? own.Parent.Name
            : "Debug";
        return new RepositoryBuilds(found, configuration);
    }

    /// <summary>Builds the gateway and PartnerSim whose outputs are missing, telling the user why it takes a while.</summary>
    public async Task EnsureBuiltAsync(TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var (project, dll) in new[] { ("Gateway", GatewayDll), ("Gateway.PartnerSim", PartnerSimDll) })
        {
            if (File.Exists(dll))
            {
                continue;
            }

            var projectFile = Path.Combine(Root, "src", project, project + ".csproj");
            output.WriteLine($"Building {project} ({Configuration}): its build output is missing ...");
            var clock = Stopwatch.StartNew();
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "build", projectFile, "--configuration", Configuration, "--nologo", "--verbosity", "quiet" })
            {
                info.ArgumentList.Add(arg);
            }

            using var build = Process.Start(info) ?? throw new DemoException("dotnet could not be started to build the gateway.");
            var stdout = build.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = build.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await build.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                build.Kill(entireProcessTree: true);
                throw;
            }

            if (build.ExitCode != 0 || !File.Exists(dll))
            {
                throw new DemoException($"dotnet build {projectFile} failed (exit code {build.ExitCode}):{Environment.NewLine}{await stdout}{await stderr}");
            }

            output.WriteLine($"Built {project} in {clock.Elapsed.TotalSeconds:0} s.");
        }
    }

    private static string? FindRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    private string Output(string project, string file) => Path.Combine(Root, "src", project, "bin", Configuration, TargetFramework, file);
}
