extern alias gatewayctl;

using GatewayCtl = gatewayctl::Gateway.Cli.GatewayCtl;

namespace Gateway.FunctionalTests.Cli;

/// <summary>gatewayctl run in this process, as its Program runs it, with its output and errors captured.</summary>
internal static class Gatewayctl
{
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(args, new LineWriter(), CancellationToken.None);

    /// <summary>Runs until done or until <paramref name="cancellation"/> stops it, as Ctrl+C does, writing to <paramref name="output"/>.</summary>
    public static async Task<CliRun> RunAsync(string[] args, LineWriter output, CancellationToken cancellation)
    {
        var error = new StringWriter();
        var exitCode = await GatewayCtl.RunAsync(args, output, error, cancellation);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>What one run of gatewayctl ended with.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Captured output that tells a test when a number of lines was written, for commands that run until stopped.</summary>
internal sealed class LineWriter : StringWriter
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _lines;

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        lock (_gate)
        {
            _lines++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _lines))
            {
                waiter.Reached.TrySetResult();
            }
        }
    }

    public Task WaitForLinesAsync(int count)
    {
        lock (_gate)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_lines >= count)
            {
                reached.SetResult();
            }
            else
            {
                _waiters.Add((count, reached));
            }

            return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
