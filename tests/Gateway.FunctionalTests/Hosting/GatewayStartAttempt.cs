using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>
/// The gateway process started with a given listen configuration, watched until it exits or says it listens (killed
/// then: a gateway that listened has not refused), its start-up report written. Environment variables can be set, unlike for <see cref="GatewayProcess"/>.
/// </summary>
public sealed record GatewayStartAttempt(int? ExitCode, string Output)
{
    public bool Listened => ExitCode is null;

    /// <summary>The lines the process wrote that are not part of a log entry (the console logger indents its messages).</summary>
    public IReadOnlyList<string> PlainLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => !char.IsWhiteSpace(l[0]) && !IsLogHeader(l))
        .ToList();

    public static async Task<GatewayStartAttempt> RunAsync(string databasePath, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ChildProcess.BuildOutputDll("Gateway"));
        foreach (var arg in (string[])[$"--Gateway:Storage:Sqlite:Path={databasePath}", .. GatewayProcess.IntakeOnly, .. args])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = info };
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            // The gateway's own line, written after its start-up report's other lines; Kestrel's "Now listening on"
            // comes earlier, and a kill on it would cut the report short.
            if (line.Contains("Liaison Gateway listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        await Task.WhenAny(exited, listening.Task).WaitAsync(ChildProcess.StartTimeout);
        if (!exited.IsCompleted)
        {
            process.Kill();
            await exited;
            return new GatewayStartAttempt(null, string.Join('\n', output));
        }

        // WaitForExitAsync returns once the output is read to its end.
        return new GatewayStartAttempt(process.ExitCode, string.Join('\n', output));
    }

    /// <summary>A port free on 127.0.0.1 now, for the one configuration (localhost) where Kestrel cannot pick its own.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsLogHeader(string line) =>
        line.StartsWith("info:", StringComparison.Ordinal) || line.StartsWith("warn:", StringComparison.Ordinal)
        || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)
        || line.StartsWith("dbug:", StringComparison.Ordinal) || line.StartsWith("trce:", StringComparison.Ordinal);
}
