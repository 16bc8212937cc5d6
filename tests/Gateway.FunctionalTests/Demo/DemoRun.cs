using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Tests.Shared;

namespace Gateway.FunctionalTests.Demo;

/// <summary>
/// <c>gatewayctl demo</c> run as its own process from gatewayctl's build output, as a user runs it: its output read
/// line by line, so that a test can act at a given point of the run (send it SIGINT, say).
/// </summary>
internal sealed partial class DemoRun : IAsyncDisposable
{
    /// <summary>The longest a run may take here; the demo itself takes under a minute, this allows for a loaded machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<Regex, TaskCompletionSource<Match>> _awaited = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _streamsOpen = 2;

    private DemoRun(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ChildProcess.BuildOutputFile("Gateway.Cli", "gatewayctl.dll"));
        info.ArgumentList.Add("demo");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
    }

    public string Output => string.Join('\n', _lines);

    public IReadOnlyList<string> Lines => [.. _lines];

    public int Id => _process.Id;

    /// <summary>The demo's folder, from its first line: every process it starts names it on its command line.</summary>
    public string Folder => DataFolder().Match(Output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"The demo did not say where its data is:\n{Output}");

    /// <summary>Starts <c>gatewayctl demo</c> with <paramref name="arguments"/> after it, e.g. --production.</summary>
    public static DemoRun Start(IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null)
    {
        var run = new DemoRun(environment ?? new Dictionary<string, string>(), arguments ?? []);
        run._process.Start();
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits for the first line matching <paramref name="line"/> (which may already have been written).</summary>
    public async Task<Match> WaitForLineAsync(Regex line)
    {
        var awaited = _awaited.GetOrAdd(line, _ => new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var written in _lines)
        {
            if (line.Match(written) is { Success: true } match)
            {
                awaited.TrySetResult(match);
            }
        }

        try
        {
            return await awaited.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The demo wrote no line matching {line} within {Timeout}:\n{Output}");
        }
    }

    /// <summary>Waits for the demo to exit and for its output to be read to the end; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Timeout);
            await _outputClosed.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The demo did not end within {Timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. INT, as Ctrl+C does) to the demo's process only, not to its children.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>
    /// The processes still running whose command line names <paramref name="folder"/>: the gateway and PartnerSims the
    /// demo started (their store and data are in it) and nothing else. Read from /proc, since once the demo is gone they
    /// would no longer be its children.
    /// </summary>
    public static IReadOnlyList<string> ProcessesNaming(string folder)
    {
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(folder, StringComparison.Ordinal))
                {
                    found.Add($"{Path.GetFileName(entry)}: {commandLine}");
                }
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                // It exited while the list was read.
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _streamsOpen) == 0)
            {
                _outputClosed.TrySetResult();
            }

            return;
        }

        _lines.Enqueue(line);
        foreach (var (pattern, awaited) in _awaited)
        {
            if (pattern.Match(line) is { Success: true } match)
            {
                awaited.TrySetResult(match);
            }
        }
    }

    [GeneratedRegex(@"data in (\S+)")]
    private static partial Regex DataFolder();
}
