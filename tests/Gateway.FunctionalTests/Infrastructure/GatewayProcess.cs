using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Net.Client;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// The gateway as its own operating-system process, started from its build output on a free 127.0.0.1
/// port, so that it can be killed for real.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(string databasePath)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { GatewayDll(), "--urls", "http://127.0.0.1:0", $"--Gateway:Storage:Sqlite:Path={databasePath}" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
            {
                _listening.TrySetResult(match.Groups[1].Value);
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException("The gateway exited before it listened."));
        _process.EnableRaisingEvents = true;
    }

    public string Address { get; private set; } = string.Empty;

    public GrpcChannel Channel { get; private set; } = null!;

    public int Id => _process.Id;

    public static async Task<GatewayProcess> StartAsync(string databasePath)
    {
        var gateway = new GatewayProcess(databasePath);
        gateway._process.Start();
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        gateway.Address = await gateway._listening.Task.WaitAsync(StartTimeout);
        gateway.Channel = GrpcChannel.ForAddress(gateway.Address);
        return gateway;
    }

    /// <summary>Runs the gateway executable with a command (e.g. verify-audit) to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(GatewayDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly as in a crash or power cut of the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful shutdown an operator's service manager would ask for.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static string GatewayDll()
    {
        // Tests run from tests/<project>/bin/<Configuration>/net10.0/; the gateway is built beside them.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Gateway.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root!.FullName, "src", "Gateway", "bin", configuration, "net10.0", "Gateway.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: the gateway's build output is missing.", dll);
    }

    [GeneratedRegex(@"Liaison Gateway listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
