using Gateway.Tests.Shared;

namespace Gateway.Bench.Delivery;

/// <summary>
/// The endpoints of one measurement: a fresh PartnerSim per recipient agency, each with an empty inbox, so that every
/// path is measured against endpoints in the same state.
/// </summary>
public sealed class PartnerSimSet : IAsyncDisposable
{
    // Its own start-up lines are all the bench reads; per-delivery framework logs would only cost CPU.
    private static readonly Dictionary<string, string> Quiet = new() { ["Logging__LogLevel__Default"] = "Warning" };

    private readonly PartnerSimProcess[] _endpoints;

    private PartnerSimSet(PartnerSimProcess[] endpoints) => _endpoints = endpoints;

    public IReadOnlyList<PartnerSimProcess> Endpoints => _endpoints;

    /// <param name="faults">What every endpoint is started with (a delay before each answer, say); none by default.</param>
    public static async Task<PartnerSimSet> StartAsync(IReadOnlyList<string> agencies, DirectoryInfo parent, PartnerSimFaults? faults = null)
    {
        var starts = agencies
            .Select(agency => PartnerSimProcess.StartAsync(
                agency, parent.CreateSubdirectory($"partnersim-{agency.Replace('/', '-')}-{Guid.NewGuid():N}").FullName, faults, environment: Quiet))
            .ToArray();
        try
        {
            return new PartnerSimSet(await Task.WhenAll(starts));
        }
        catch
        {
            // Whichever did start must not outlive the failure.
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Messages applied over all endpoints.</summary>
    public long AppliedCount() => _endpoints.Sum(e => PartnerInbox.Count(e.DataDirectory));

    /// <summary>When each message was applied, over all endpoints.</summary>
    public Dictionary<string, DateTimeOffset> AppliedAt()
    {
        var all = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var endpoint in _endpoints)
        {
            foreach (var applied in PartnerInbox.Read(endpoint.DataDirectory).Applied)
            {
                all[applied.MessageId] = applied.ReceivedAt;
            }
        }

        return all;
    }

    /// <summary>Waits until the endpoints hold at least <paramref name="expected"/> messages; returns how long it took, or null on timeout.</summary>
    public async Task<TimeSpan?> WaitForAppliedAsync(long expected, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (AppliedCount() < expected)
        {
            if (started.Elapsed > timeout)
            {
                return null;
            }

            await Task.Delay(20);
        }

        return started.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_endpoints.Select(StopAsync));
    }

    /// <summary>SIGTERM, so that it answers what is in flight and closes its inbox; killed if it does not stop in time.</summary>
    private static async Task StopAsync(PartnerSimProcess endpoint)
    {
        try
        {
            await endpoint.StopAsync();
        }
        catch (TimeoutException)
        {
            // Disposing kills it.
        }
        finally
        {
            await endpoint.DisposeAsync();
        }
    }
}
