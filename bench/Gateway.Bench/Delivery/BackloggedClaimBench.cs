using Interagency.V1;
using System.Diagnostics;
using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Bench.Delivery;

/// <summary>
/// What a failing endpoint's backlog costs everyone else: one recipient gets many deliveries waiting (its endpoint down,
/// so the dispatcher excludes it), then claims for another recipient are timed, one delivery each. Every claim runs on
/// the store's single writer, so its time is also time every intake commit queued behind it waits.
/// </summary>
public static class BackloggedClaimBench
{
    private const string Down = "CN/FJPSD";
    private const string Healthy = "CN/MPS";
    private const int Claims = 200;
    private static readonly int[] Backlogs = [0, 10_000, 100_000];

    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous)
    {
        Console.WriteLine($"Claims beside a backed-off endpoint's backlog: the store alone (synchronous={synchronous}); {Claims} claims of one delivery to {Healthy} "
            + $"while the deliveries waiting for {Down} are excluded");
        var payload = new byte[1500];
        foreach (var backlog in Backlogs)
        {
            var path = Path.Combine(dataDir.FullName, $"backlog-{backlog}.db");
            await using var store = new SqliteMessageStore(
                Options.Create(new SqliteStoreOptions { Path = path, Synchronous = synchronous }), TimeProvider.System, NullLogger<SqliteMessageStore>.Instance);
            for (var filled = 0; filled < backlog; filled += 1000)
            {
                await Task.WhenAll(Enumerable.Range(filled, Math.Min(1000, backlog - filled)).Select(i => store.AcceptAsync(Accept(Down, i, payload), default)));
            }

            if (!await TimeClaimsAsync(store, backlog, [Down], payload, $"waiting for {Down}"))
            {
                return 1;
            }
        }

        return await FlappingAsync(dataDir, synchronous, payload);
    }

    /// <summary>
    /// The same, for an endpoint that fails some calls but is not backed off as a whole: its failed deliveries wait for
    /// their retry, and claims for that same endpoint must step over them to reach its deliveries that are due.
    /// </summary>
    private static async Task<int> FlappingAsync(DirectoryInfo dataDir, string synchronous, byte[] payload)
    {
        Console.WriteLine($"Claims beside an endpoint's own retry-waits: {Claims} claims of one delivery to {Healthy} while its earlier failed "
            + "deliveries wait for a retry an hour away");
        foreach (var backlog in Backlogs)
        {
            var path = Path.Combine(dataDir.FullName, $"flapping-{backlog}.db");
            await using var store = new SqliteMessageStore(
                Options.Create(new SqliteStoreOptions { Path = path, Synchronous = synchronous }), TimeProvider.System, NullLogger<SqliteMessageStore>.Instance);
            var retryAt = DateTimeOffset.UtcNow.AddHours(1);
            for (var filled = 0; filled < backlog; filled += 1000)
            {
                var count = Math.Min(1000, backlog - filled);
                await Task.WhenAll(Enumerable.Range(filled, count).Select(i => store.AcceptAsync(Accept(Healthy, i, payload), default)));
                var failed = await store.ClaimDeliveriesAsync("bench", TimeSpan.FromSeconds(30), count, [], default);
                await store.CompleteDeliveriesAsync(
                    "bench", [.. failed.Select(c => new DeliveryCompletion(c.Delivery, DeliveryResolution.RetryLater, retryAt, "Unavailable"))], default);
            }

            if (!await TimeClaimsAsync(store, backlog, [], payload, "waiting for a retry"))
            {
                return 1;
            }
        }

        return 0;
    }

    /// <summary>
    /// Times <see cref="Claims"/> claims, each of one new delivery to <see cref="Healthy"/> (the only one due), and prints
    /// their p50 and p99; false, with the reason on stderr, if a claim took anything else.
    /// </summary>
    private static async Task<bool> TimeClaimsAsync(SqliteMessageStore store, int backlog, string[] excluded, byte[] payload, string beside)
    {
        var millis = new double[Claims];
        for (var i = 0; i < Claims; i++)
        {
            await store.AcceptAsync(Accept(Healthy, backlog + i, payload), default);
            var started = Stopwatch.GetTimestamp();
            var claimed = await store.ClaimDeliveriesAsync("bench", TimeSpan.FromSeconds(30), 64, excluded, default);
            millis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (claimed.Count != 1 || claimed[0].Delivery.Recipient.ToString() != Healthy)
            {
                Console.Error.WriteLine($"claim {i} with {backlog} {beside} took {claimed.Count} deliveries, expected the new one to {Healthy}");
                return false;
            }

            await store.CompleteDeliveriesAsync("bench", [new DeliveryCompletion(claimed[0].Delivery, DeliveryResolution.Delivered)], default);
        }

        Array.Sort(millis);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {backlog,7} {beside}: claim p50 {millis[Claims / 2]:0.000} ms, p99 {millis[(int)(Claims * 0.99)]:0.000} ms"));
        return true;
    }

    /// <summary>The change set that accepts a referral to <paramref name="recipient"/>, as intake decides it.</summary>
    private static ChangeSet Accept(string recipient, int index, byte[] payload) => IntakeLifecycle.Accept(Message(recipient, index, payload), null).Changes!;

    private static NewMessage Message(string recipient, int index, byte[] payload) => new(
        Guid.CreateVersion7().ToString(),
        MessageKind.Referral,
        $"CASE-{index}",
        AgencyId.Parse("CN/PLO-RU"),
        [AgencyId.Parse(recipient)],
        payload,
        payload[..32],
        DateTimeOffset.UtcNow,
        MessageState.Accepted,
        DeliveryState.Pending);
}
