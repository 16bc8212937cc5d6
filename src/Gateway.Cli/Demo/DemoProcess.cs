using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Gateway.Cli.Demo;

/// <summary>
/// One app of the repository (the gateway, a PartnerSim) run by the demo as a child process from its build output.
/// Started means listening: it is handed back once it printed its listening line. Stopped means gone: SIGTERM first,
/// so that it shuts down cleanly and flushes its telemetry, then its whole process tree is killed if it outlives
/// <see cref="StopTimeout"/>.
/// </summary>
internal sealed class DemoProcess : IAsyncDisposable
{
    // Eight processes start at once, which on a small, busy machine took up to 36 s in all (2 cores, load average 40).
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // Enough of its output to show why it failed, without keeping all of a long run's log.
    private const int OutputLinesKept = 200;

    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Regex _listeningLine;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource<Match> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DemoProcess(string name, string dll, Regex listeningLine, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _listeningLine = listeningLine;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (variable, value) in environment)
        {
            info.Environment[variable] = value;
        }

        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.Exited += (_, _) => _listening.TrySetCanceled();
    }

    /// <summary>What the demo calls it in its output, e.g. "gateway" or "PartnerSim RU/MVD".</summary>
    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>The listening line's match; its groups are whatever the line's pattern captures.</summary>
    public Match Listening { get; private set; } = Match.Empty;

    /// <summary>The last lines it wrote to stdout and stderr, to show when it failed.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="dll"/> with <c>dotnet</c>, <paramref name="environment"/> added to its environment, and waits
    /// until it prints a line matching <paramref name="listeningLine"/>. <paramref name="started"/> is given the process as
    /// soon as it exists, so that whoever owns it can stop it even when the wait is cancelled.
    /// </summary>
    public static async Task<DemoProcess> StartAsync(
        string name,
        string dll,
        Regex listeningLine,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string> environment,
        Action<DemoProcess> started,
        CancellationToken cancellationToken)
    {
        var child = new DemoProcess(name, dll, listeningLine, args, environment);
        child._process.Start();
        started(child);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            child.Listening = await child._listening.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch (Exception notListening) when (notListening is TimeoutException || (notListening is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (child._process.HasExited)
            {
                // Its output is read to the end only then, and its last lines say why it stopped.
                await child._process.WaitForExitAsync(CancellationToken.None);
            }

            throw new DemoException(
                (child._process.HasExited ? $"The {name} exited with code {child._process.ExitCode} before it listened." : $"The {name} did not listen within {StartTimeout.TotalSeconds:0} seconds.")
                + $" Its last output:{Environment.NewLine}{child.RecentOutput}");
        }

        return child;
    }

    /// <summary>Stops it (SIGTERM, then a kill of its process tree after <see cref="StopTimeout"/>) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        // A plain kill on Windows, which has no SIGTERM to send.
        if (OperatingSystem.IsWindows() || Kill(_process.Id, SigTerm) != 0)
        {
            KillTree();
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>The last resort when the demo itself is going away: no waiting, no grace.</summary>
    public void KillNow()
    {
        if (!_process.HasExited)
        {
            KillTree();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }

        if (_listeningLine.Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match);
        }
    }

    // kill(2): .NET can send SIGKILL only, and SIGTERM is what lets the child flush its telemetry and close its store.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
