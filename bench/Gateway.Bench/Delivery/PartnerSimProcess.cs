using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Bench.Delivery;

/// <summary>
/// One PartnerSim (src/Gateway.PartnerSim) run from its build output as its own process on 127.0.0.1 with a fresh data
/// folder, as a real agency endpoint would be: its inbox commits to disk before it answers.
/// </summary>
public sealed partial class PartnerSimProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    // Children still running, so that a bench ended by SIGTERM or Ctrl+C does not leave them behind.
    private static readonly ConcurrentDictionary<PartnerSimProcess, byte> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static PartnerSimProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Running.Keys)
            {
                child.Kill();
            }
        };
    }

    private PartnerSimProcess(string agency, string dataDirectory)
    {
        Agency = agency;
        DataDirectory = dataDirectory;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Dll(), "--agency", agency, "--data", dataDirectory, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        // Its own start-up lines are all the bench reads; per-delivery framework logs would only cost CPU.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.Exited += (_, _) => _listening.TrySetCanceled();
    }

    public string Agency { get; }

    /// <summary>Folder of its inbox.db and received.log.</summary>
    public string DataDirectory { get; }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Starts a PartnerSim playing <paramref name="agency"/> and waits until it listens.</summary>
    public static async Task<PartnerSimProcess> StartAsync(string agency, string dataDirectory)
    {
        var child = new PartnerSimProcess(agency, dataDirectory);
        child._process.Start();
        Running.TryAdd(child, 0);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            child.Address = await child._listening.Task.WaitAsync(StartTimeout);
            return child;
        }
        catch (Exception notListening) when (notListening is TaskCanceledException or TimeoutException)
        {
            await child.DisposeAsync();
            throw new InvalidOperationException(
                $"PartnerSim {agency} did not start listening. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, child._output)}", notListening);
        }
    }

    /// <summary>SIGTERM, so that it answers what is in flight and closes its inbox; killed if it does not stop in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                await _process.WaitForExitAsync().WaitAsync(StopTimeout);
            }
        }
        catch (Exception error) when (error is TimeoutException or InvalidOperationException)
        {
            Kill();
        }
        finally
        {
            Running.TryRemove(this, out _);
            _process.Dispose();
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups["address"].Value);
        }
    }

    /// <summary>
    /// PartnerSim's dll, built beside this one by the project reference in the same configuration: this runs from
    /// bench/Gateway.Bench/bin/&lt;Configuration&gt;/net10.0/ and PartnerSim's output is src/Gateway.PartnerSim/bin/&lt;Configuration&gt;/net10.0/.
    /// </summary>
    private static string Dll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Gateway.sln")))
        {
            root = root.Parent;
        }

        var dll = root is null ? "" : Path.Combine(root.FullName, "src", "Gateway.PartnerSim", "bin", configuration, "net10.0", "Gateway.PartnerSim.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("PartnerSim's build output is missing: build bench/Gateway.Bench first.", dll);
    }

    [GeneratedRegex(@"PartnerSim \S+ listening on (?<address>http://\S+)")]
    private static partial Regex ListeningLine();
}
