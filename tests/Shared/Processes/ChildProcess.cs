using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Shared;

/// <summary>
/// An app of this repository run from its build output as its own operating-system process, so that it can be
/// killed for real. Started means listening: it is handed back once it printed its listening line.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    // Children still running, so that a run ended by SIGTERM or Ctrl+C (a bench, say) does not leave them behind.
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();

    private readonly Process _process;
    private readonly Regex _listeningLine;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Match> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Running.Keys)
            {
                try
                {
                    child._process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        };
    }

    private ChildProcess(string dll, Regex listeningLine, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        _listeningLine = listeningLine;
        _process = new Process { StartInfo = StartInfo(dll, args, environment), EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.Exited += (_, _) => _listening.TrySetCanceled();
    }

    /// <summary>The listening line's match; its groups are whatever the line's pattern captures.</summary>
    public Match Listening { get; private set; } = Match.Empty;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far, for diagnostics.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// Starts <paramref name="dll"/> with <c>dotnet</c>, with <paramref name="environment"/> added to its environment, and
    /// waits until it prints a line matching <paramref name="listeningLine"/>.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(
        string dll, Regex listeningLine, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var child = new ChildProcess(dll, listeningLine, args, environment);
        child._process.Start();
        Running.TryAdd(child, 0);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            child.Listening = await child._listening.Task.WaitAsync(StartTimeout);
        }
        catch (Exception notListening) when (notListening is TaskCanceledException or TimeoutException)
        {
            var exited = child._process.HasExited;
            await child.KillAsync(); // also waits until its output is read to the end, so all of it is quoted below
            var exitCode = child._process.ExitCode;
            await child.DisposeAsync();
            throw new InvalidOperationException(
                (exited ? $"{Path.GetFileName(dll)} exited with code {exitCode} before it listened." : $"{Path.GetFileName(dll)} did not listen within {StartTimeout}.")
                + $" Its output:{Environment.NewLine}{child.Output}",
                notListening);
        }

        return child;
    }

    /// <summary>Runs <paramref name="dll"/> to its end (a command, not a server); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(string dll, IEnumerable<string> args)
    {
        using var process = Process.Start(StartInfo(dll, args, environment: null))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>
    /// The dll of a project under src/ built in the configuration this runs in: tests (and the bench) run from
    /// &lt;folder&gt;/&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/, and the apps are built beside them.
    /// </summary>
    public static string BuildOutputDll(string project) => BuildOutputFile(project, project + ".dll");

    /// <summary>A file of a project's build output under src/, found as <see cref="BuildOutputDll"/> finds its dll.</summary>
    public static string BuildOutputFile(string project, string fileName)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Gateway.sln")))
        {
            root = root.Parent;
        }

        var file = Path.Combine(root!.FullName, "src", project, "bin", configuration, "net10.0", fileName);
        return File.Exists(file) ? file : throw new FileNotFoundException($"Build the solution first: the build output of {project} is missing.", file);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly as in a crash or power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().WaitAsync(StopTimeout);
    }

    /// <summary>SIGTERM: the graceful shutdown an operator's service manager would ask for; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(StopTimeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (_listeningLine.Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match);
        }
    }
}
