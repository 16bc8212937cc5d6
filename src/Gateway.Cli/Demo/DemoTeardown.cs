using System.Diagnostics;

namespace Gateway.Cli.Demo;

/// <summary>
/// Stops the processes the demo started and removes its folder, once, for whoever asks first: the demo's own
/// <c>finally</c>, or the process exiting under it. The second happens on Ctrl+C: System.CommandLine ends the process
/// once its termination timeout (2 s) has passed, whether or not the command has finished cleaning up, so the exit
/// waits here for the cleanup already under way instead of leaving children and files behind.
/// </summary>
internal sealed class DemoTeardown(bool keep, TextWriter output, Stopwatch clock)
{
    // A child gets DemoProcess.StopTimeout to stop after SIGTERM before it is killed; the gateway goes first.
    private static readonly TimeSpan ExitWait = 3 * DemoProcess.StopTimeout;

    private readonly Lock _gate = new();
    private Task? _done;

    public DemoNetwork? Network { get; set; }

    public string? Folder { get; set; }

    /// <summary>Runs the teardown, or returns the one already under way.</summary>
    public Task RunAsync()
    {
        lock (_gate)
        {
            return _done ??= Task.Run(StopAsync);
        }
    }

    /// <summary>For <see cref="AppDomain.ProcessExit"/>: the process must not end before the teardown did.</summary>
    public void RunBeforeExit() => RunAsync().Wait(ExitWait);

    private async Task StopAsync()
    {
        if (Network is { } network)
        {
            await network.DisposeAsync();
            output.WriteLine($"Stopped the gateway and the PartnerSims after {clock.Elapsed.TotalSeconds:0.0} s.");
        }

        if (Folder is not { } folder)
        {
            return;
        }

        if (keep)
        {
            output.WriteLine($"Kept {folder}: the gateway's store (gateway.db) and each PartnerSim's inbox.db and received.log.");
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException error)
        {
            Console.Error.WriteLine($"Could not remove {folder}: {error.Message}");
        }
    }
}
