using System.Diagnostics;
using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Bench.Trace;

/// <summary>
/// What an operator's questions cost as the store grows: a store is filled with delivered referrals (ten per case), then
/// the real gateway is started on it and <c>GetMessageTrace</c> of random messages and <c>SearchMessages</c> by random
/// case are timed over gRPC, one call at a time, at each size. Query time must not grow with the store.
/// </summary>
public static class TraceQueryBench
{
    private const int Queries = 1000;
    private const int MessagesPerCase = 10;
    private const int Batch = 1000;
    private const string Sender = "CN/PLO-RU";
    private const string Recipient = "CN/FJPSD";

    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous, IReadOnlyList<int> sizes)
    {
        Console.WriteLine($"Trace queries against the store's size (synchronous={synchronous}): {Queries} GetMessageTrace of random messages and "
            + $"{Queries} SearchMessages by random case (first page, newest first), one at a time over gRPC; {MessagesPerCase} delivered referrals per case");
        Console.WriteLine("Traces are timed as the sender (an agency: no audit entry) and as an operator (each call audited as operator.call, answered once that entry is on disk).");
        Console.WriteLine("The trace is also timed in parts: the store's queries alone, in process (store p50/p99), and the round trip of a call that does no work (grpc.health.v1 liveness, floor p50/p99).");
        Console.WriteLine("  messages   fill s   store MiB   trace p50 ms  trace p99 ms   op. trace p50   op. trace p99   search p50 ms  search p99 ms   working set MiB   store p50  store p99  floor p50  floor p99");
        var payload = new byte[1500];
        Random.Shared.NextBytes(payload);
        foreach (var size in sizes)
        {
            var path = Path.Combine(dataDir.FullName, $"trace-{size}.db");
            var fill = Stopwatch.StartNew();
            var ids = await FillAsync(path, synchronous, size, payload);
            fill.Stop();
            SqliteConnection.ClearAllPools();
            var storeBytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);

            await using var gateway = await BenchGateway.StartAsync(path, synchronous, "--Gateway:Delivery:Enabled=false");
            using var channel = GrpcChannel.ForAddress(gateway.Address);
            var trace = new TraceService.TraceServiceClient(channel);
            var asOperator = new Metadata { { "x-liaison-operator", "bench" } };
            var random = new Random(size);

            // Warm the JIT and the connection, unmeasured.
            for (var i = 0; i < 50; i++)
            {
                await trace.GetMessageTraceAsync(new GetMessageTraceRequest { MessageId = ids[random.Next(ids.Length)] }, asOperator);
            }

            var asSender = new Metadata { { "x-liaison-agency", Sender } };
            var traceMillis = await TimeTracesAsync(trace, ids, random, asSender);
            var operatorMillis = await TimeTracesAsync(trace, ids, random, asOperator);
            if (traceMillis is null || operatorMillis is null)
            {
                return 1;
            }

            var storeMillis = new double[Queries];
            for (var i = 0; i < Queries; i++)
            {
                var started = Stopwatch.GetTimestamp();
                _ = await gateway.TraceStore.GetMessageTraceAsync(ids[random.Next(ids.Length)], CancellationToken.None);
                storeMillis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            var health = new Grpc.Health.V1.Health.HealthClient(channel);
            var floorMillis = new double[Queries];
            for (var i = 0; i < Queries; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest { Service = "liveness" });
                floorMillis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Array.Sort(storeMillis);
            Array.Sort(floorMillis);
            var searchMillis = new double[Queries];
            var cases = Math.Max(1, size / MessagesPerCase);
            for (var i = 0; i < Queries; i++)
            {
                var reference = CaseReference(random.Next(cases));
                var started = Stopwatch.GetTimestamp();
                var response = await trace.SearchMessagesAsync(
                    new SearchMessagesRequest { Filter = new MessageFilter { CaseReference = reference } }, asSender);
                searchMillis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.Messages.Count != Math.Min(MessagesPerCase, size) || response.Messages.Any(m => m.Message.CaseReference != reference))
                {
                    Console.Error.WriteLine($"search of case {reference} found {response.Messages.Count} messages; expected {MessagesPerCase} of that case");
                    return 1;
                }
            }

            using var self = Process.GetCurrentProcess();
            Array.Sort(searchMillis);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {size,8} {fill.Elapsed.TotalSeconds,8:0.0} {storeBytes / 1048576.0,11:0} {P(traceMillis, 0.5),14:0.00} {P(traceMillis, 0.99),13:0.00} "
                + $"{P(operatorMillis, 0.5),16:0.00} {P(operatorMillis, 0.99),15:0.00} {P(searchMillis, 0.5),15:0.00} {P(searchMillis, 0.99),14:0.00} {self.WorkingSet64 / 1048576.0,17:0} "
                + $"{P(storeMillis, 0.5),11:0.00} {P(storeMillis, 0.99),10:0.00} {P(floorMillis, 0.5),10:0.00} {P(floorMillis, 0.99),10:0.00}"));
        }

        return 0;
    }

    /// <summary>Times <see cref="Queries"/> traces of random messages, sorted; null, with the reason on stderr, if one came back wrong.</summary>
    private static async Task<double[]?> TimeTracesAsync(TraceService.TraceServiceClient trace, string[] ids, Random random, Metadata caller)
    {
        var millis = new double[Queries];
        for (var i = 0; i < Queries; i++)
        {
            var id = ids[random.Next(ids.Length)];
            var started = Stopwatch.GetTimestamp();
            var response = await trace.GetMessageTraceAsync(new GetMessageTraceRequest { MessageId = id }, caller);
            millis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.Message?.MessageId != id || response.Events.Count < 2)
            {
                Console.Error.WriteLine($"trace of {id} came back with {response.Events.Count} events; expected its acceptance and delivery");
                return null;
            }
        }

        Array.Sort(millis);
        return millis;
    }

    private static double P(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * quantile))];

    private static string CaseReference(int index) => string.Create(CultureInfo.InvariantCulture, $"BENCH-CASE-{index:D7}");

    /// <summary>Accepts <paramref name="size"/> referrals in batches and delivers each, as the dispatcher would; returns their ids.</summary>
    private static async Task<string[]> FillAsync(string path, string synchronous, int size, byte[] payload)
    {
        var ids = new string[size];
        await using var store = new SqliteMessageStore(
            Options.Create(new SqliteStoreOptions { Path = path, Synchronous = synchronous }), TimeProvider.System, NullLogger<SqliteMessageStore>.Instance);
        for (var filled = 0; filled < size; filled += Batch)
        {
            var count = Math.Min(Batch, size - filled);
            var messages = Enumerable.Range(filled, count).Select(i => Message(i, payload)).ToArray();
            for (var i = 0; i < count; i++)
            {
                ids[filled + i] = messages[i].MessageId;
            }

            await Task.WhenAll(messages.Select(m => store.AcceptAsync(IntakeLifecycle.Accept(m, null).Changes!, default)));
            var claimed = await store.ClaimDeliveriesAsync("bench", TimeSpan.FromMinutes(5), count, [], default);
            await store.CompleteDeliveriesAsync(
                "bench", [.. claimed.Select(c => new DeliveryCompletion(c.Delivery, DeliveryResolution.Delivered))], default);
        }

        return ids;
    }

    private static NewMessage Message(int index, byte[] payload) => new(
        Guid.NewGuid().ToString(),
        MessageKind.Referral,
        CaseReference(index / MessagesPerCase),
        AgencyId.Parse(Sender),
        [AgencyId.Parse(Recipient)],
        payload,
        payload[..32],
        DateTimeOffset.UtcNow,
        MessageState.Accepted,
        DeliveryState.Pending);
}
