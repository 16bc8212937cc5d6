using System.Diagnostics;
using System.Runtime.InteropServices;
using Gateway.Cli.Demo.Situations;
using Grpc.Core;

namespace Gateway.Cli.Demo;

/// <summary>
/// <c>gatewayctl demo</c>: starts a gateway on a temporary store and a PartnerSim for each agency involved, plays the
/// three situations of DESIGN.md section 1 as those agencies, checks that every message reached whom it should, prints
/// each message's timeline, and stops everything it started: at the end, on a failure, and on Ctrl+C or SIGTERM. In
/// development mode by default, in production mode (mutual TLS, operator tokens) with <see cref="DemoOptions.Production"/>.
/// </summary>
public static class DemoCommand
{
    /// <summary>Exit code when a situation did not play out as expected or the demo could not start.</summary>
    public const int Failed = 1;

    /// <summary>Exit code after Ctrl+C or SIGTERM, as a shell reports a command ended by SIGINT.</summary>
    public const int Interrupted = 130;

    private static readonly ISituation[] Situations = [new KidnappingSituation(), new FugitiveSituation(), new TranslationSituation()];

    /// <summary>Runs the demo; returns 0 when all situations played as expected.</summary>
    public static async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        var output = options.Output;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = StopOnSignals(stop);
        var teardown = new DemoTeardown(options.Keep, output, clock);
        EventHandler beforeExit = (_, _) => teardown.RunBeforeExit();
        AppDomain.CurrentDomain.ProcessExit += beforeExit;
        try
        {
            using var tracing = DemoTracing.Start();
            var builds = RepositoryBuilds.Locate(options.Repository);
            await builds.EnsureBuiltAsync(output, stop.Token);

            // Timed from here: what the demo itself takes, without a first build.
            clock.Restart();
            var folder = teardown.Folder = Directory.CreateTempSubdirectory("liaison-demo-").FullName;
            DemoIdentity identity = options.Production
                ? ProductionDemoIdentity.Create(folder, builds.GatewaySettings, TimeProvider.System)
                : new DevelopmentDemoIdentity();
            if (identity.Announcement is { } announcement)
            {
                output.WriteLine(announcement);
            }

            var agencies = Situations.SelectMany(s => s.Agencies).Distinct().ToList();
            output.WriteLine($"Starting a gateway and {agencies.Count} PartnerSim endpoints ({string.Join(", ", agencies)}), data in {folder}");
            await DemoNetwork.StartAsync(builds, folder, identity, agencies, started => teardown.Network = started, stop.Token);
            var network = teardown.Network!;
            output.WriteLine($"Gateway listening on {network.GatewayAddress}, ready after {clock.Elapsed.TotalSeconds:0.0} s ({builds.Configuration} build of {builds.Root}).");
            if (DemoTracing.Endpoint is { } endpoint)
            {
                output.WriteLine($"Traces go to {endpoint}: services {DemoTracing.ServiceName}, liaison-gateway and partnersim-*.");
            }

            var calls = new DemoAgencies(network, output);
            var timelines = new TimelinePrinter(network.OperatorChannel, identity.OperatorCredentials, output);
            for (var i = 0; i < Situations.Length; i++)
            {
                output.WriteLine();
                output.WriteLine($"== Situation {i + 1}: {Situations[i].Title} ==");
                var sent = await Situations[i].PlayAsync(calls, network, output, stop.Token);
                output.WriteLine();
                output.WriteLine("Timelines:");
                foreach (var message in sent)
                {
                    await timelines.PrintAsync(message, stop.Token);
                }
            }

            output.WriteLine();
            output.WriteLine($"All {Situations.Length} situations played as expected in {clock.Elapsed.TotalSeconds:0.0} s.");
            return 0;
        }
        catch (Exception interrupted) when (stop.IsCancellationRequested && interrupted is OperationCanceledException or RpcException or DemoException)
        {
            output.WriteLine();
            output.WriteLine("Interrupted: stopping everything the demo started.");
            return Interrupted;
        }
        catch (Exception failure) when (failure is DemoException or RpcException)
        {
            Console.Error.WriteLine(failure is RpcException rpc
                ? $"demo failed: the gateway answered {rpc.StatusCode}: {rpc.Status.Detail}"
                : $"demo failed: {failure.Message}");
            if (teardown.Network?.Processes.FirstOrDefault(p => p.Name == "gateway") is { } gateway)
            {
                Console.Error.WriteLine($"The gateway's last output:{Environment.NewLine}{gateway.RecentOutput}");
            }

            return Failed;
        }
        finally
        {
            await teardown.RunAsync();
            AppDomain.CurrentDomain.ProcessExit -= beforeExit;
        }
    }

    /// <summary>Ctrl+C (SIGINT), SIGTERM and SIGQUIT stop the demo through <paramref name="stop"/> instead of killing it, so that it cleans up.</summary>
    private static CompositeDisposable StopOnSignals(CancellationTokenSource stop)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        var registrations = new List<IDisposable> { PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle) };
        if (!OperatingSystem.IsWindows())
        {
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle));
        }

        return new CompositeDisposable(registrations);
    }

    private sealed class CompositeDisposable(IEnumerable<IDisposable> parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }
}
