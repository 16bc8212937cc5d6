using System.Globalization;

namespace Gateway.Bench.Delivery;

/// <summary>Prints the store-and-forward figures next to the forwarding proxy's, and whether the goal holds.</summary>
public static class DeliveryReport
{
    private const double GoalMinRatio = 1.0;

    public static void PrintHeader(TimeSpan window, string synchronous, Gateway.Delivery.DeliveryOptions delivery)
    {
        Console.WriteLine("End-to-end: the gateway delivering to PartnerSim processes vs a plain forwarding proxy (same run)");
        Console.WriteLine($"  durable      SubmitReferral into the in-process gateway (store synchronous={synchronous}), dispatcher DeliverBatch "
            + $"(batch {delivery.BatchSize}, max in flight {delivery.MaxInFlight}) to the endpoints");
        Console.WriteLine("  proxy        SubmitReferral into an in-process Kestrel service that calls the endpoint's Deliver and answers after it; no storage");
        Console.WriteLine($"  endpoints    PartnerSim processes with fresh inboxes (synchronous=FULL, group commit), recipients {string.Join(", ", DeliveryBench.Recipients)} "
            + $"in turn; sender {DeliveryBench.Sender}; one case per message; message ids {(ReferralFactory.TimeOrderedIds ? "time-ordered (UUIDv7)" : "random (UUIDv4)")}");
        Console.WriteLine("  process      both paths' 1-endpoint throughput cells run once, unmeasured, before any cell below (JIT)");
        Console.WriteLine($"  throughput   closed loop, {DeliveryBench.Callers} callers over 4 channels, {DeliveryBench.WarmUp.TotalSeconds:0} s warm-up, "
            + $"{window.TotalSeconds:0} s window; delivered = rows applied at the endpoints with received_at inside the window");
        Console.WriteLine($"  latency      open loop at {DeliveryBench.LatencyRate:0} msg/s, same warm-up and window; submit-to-applied = endpoint's received_at "
            + "(stamped as its group commit begins, before the flush) minus the send time, same clock");
        Console.WriteLine();
    }

    public static void PrintThroughput(IReadOnlyList<(ThroughputCell Durable, ThroughputCell Proxy)> rows)
    {
        const string format = "{0,9} | {1,10} | {2,11} | {3,9} | {4,7} | {5,11} | {6,11} | {7,9}";
        var header = string.Format(CultureInfo.InvariantCulture, format,
            "endpoints", "accepted/s", "delivered/s", "sustained", "drain", "forwarded/s", "delivered/s", "ratio");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, format, "", "durable", "durable", "durable/s", "durable", "proxy", "proxy", "sust/fwd"));
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        foreach (var (durable, proxy) in rows)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, format,
                durable.Endpoints,
                Rate(durable.Calls.CallsPerSecond),
                Rate(durable.DeliveredPerSecond),
                Rate(durable.SustainedPerSecond),
                durable.Drain is { } drain ? drain.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "timeout",
                Rate(proxy.Calls.CallsPerSecond),
                Rate(proxy.DeliveredPerSecond),
                Ratio(durable, proxy).ToString("0.00", CultureInfo.InvariantCulture)));
        }

        Console.WriteLine("machine CPU per message sustained (every process: gateway or proxy, load generator, endpoints), cores busy: " + string.Join(", ", rows.Select(r =>
            $"{r.Durable.Endpoints} endpoint{(r.Durable.Endpoints == 1 ? "" : "s")} durable {Micros(r.Durable.MachineCpuMicrosPerMessage)} µs ({Percent(r.Durable.Calls.MachineBusyPercent)}), "
            + $"proxy {Micros(r.Proxy.MachineCpuMicrosPerMessage)} µs ({Percent(r.Proxy.Calls.MachineBusyPercent)})")));
        Console.WriteLine("sustained = min(accepted/s, delivered/s): a backlog drained in the window from warm-up does not count, nor one left behind");
        Console.WriteLine("drain = time after the load stopped until every accepted message was applied at its endpoint (the backlog left)");
        foreach (var cell in rows.SelectMany(r => new[] { ("durable", r.Durable), ("proxy", r.Proxy) }).Where(c => c.Item2.Calls.Errors > 0))
        {
            Console.WriteLine($"errors ({cell.Item1}, {cell.Item2.Endpoints} endpoints): {cell.Item2.Calls.Errors}, first: {cell.Item2.Calls.FirstError}");
        }

        Console.WriteLine();
    }

    public static void PrintLatency(IReadOnlyList<(LatencyCell Durable, LatencyCell Proxy)> rows)
    {
        const string format = "{0,9} | {1,7} | {2,5} | {3,15} | {4,15} | {5,12} | {6,12}";
        var header = string.Format(CultureInfo.InvariantCulture, format,
            "endpoints", "path", "sent", "submit->applied", "submit->applied", "answer", "answer");
        Console.WriteLine(header);
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, format, "", "", "", "p50 ms", "p99 ms", "p50 ms", "p99 ms"));
        Console.WriteLine(new string('-', header.Length));
        foreach (var (path, cell) in rows.SelectMany(r => new[] { ("durable", r.Durable), ("proxy", r.Proxy) }))
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, format,
                cell.Endpoints, path, cell.Sent,
                Ms(Percentile(cell.SortedEndToEndMs, 0.50)), Ms(Percentile(cell.SortedEndToEndMs, 0.99)),
                Ms(Percentile(cell.SortedAnswerMs, 0.50)), Ms(Percentile(cell.SortedAnswerMs, 0.99))));
            if (cell.Missing > 0 || cell.Errors > 0)
            {
                Console.WriteLine($"  {cell.Missing} sent in the window not applied; {cell.Errors} errors{(cell.FirstError is null ? "" : ", first: " + cell.FirstError)}");
            }
        }

        Console.WriteLine("answer = the caller's round trip: the durable receipt (stored, not yet delivered) or the proxy's answer (applied at the endpoint)");
        Console.WriteLine();
    }

    public static void PrintGoal(IReadOnlyList<(ThroughputCell Durable, ThroughputCell Proxy)> rows)
    {
        Console.WriteLine($"goal: durable delivered/s / proxy forwarded/s >= {GoalMinRatio:0.0} (at {DeliveryBench.Callers} callers; "
            + "delivered/s taken as the sustained figure, min of accepted/s and delivered/s)");
        foreach (var (durable, proxy) in rows)
        {
            var ratio = Ratio(durable, proxy);
            var verdict = ratio >= GoalMinRatio
                ? "MET"
                : $"NOT MET: {(100 * (1 - ratio)).ToString("0", CultureInfo.InvariantCulture)} % short ({Rate(durable.SustainedPerSecond)} vs {Rate(proxy.Calls.CallsPerSecond)}/s)";
            Console.WriteLine($"  {durable.Endpoints} endpoint{(durable.Endpoints == 1 ? "" : "s")}: ratio {ratio.ToString("0.00", CultureInfo.InvariantCulture)} -> {verdict}");

            // What no scheduling could beat: every core busy, each message costing the machine what it cost in this run.
            var ceiling = Environment.ProcessorCount * 1e6 / durable.MachineCpuMicrosPerMessage;
            if (double.IsFinite(ceiling))
            {
                Console.WriteLine($"    CPU ceiling: {Environment.ProcessorCount} cores fully busy at {Micros(durable.MachineCpuMicrosPerMessage)} µs per message "
                    + $"would sustain {Rate(ceiling)}/s, ratio {(ceiling / proxy.Calls.CallsPerSecond).ToString("0.00", CultureInfo.InvariantCulture)} against this proxy");

                // The proxy left cores idle too: with both paths filling the cores, the ratio is that of their costs.
                Console.WriteLine($"    both paths with every core busy: ratio {(proxy.MachineCpuMicrosPerMessage / durable.MachineCpuMicrosPerMessage).ToString("0.00", CultureInfo.InvariantCulture)} "
                    + $"(the proxy's {Micros(proxy.MachineCpuMicrosPerMessage)} µs per message over the durable path's {Micros(durable.MachineCpuMicrosPerMessage)} µs)");
            }
        }
    }

    private static double Ratio(ThroughputCell durable, ThroughputCell proxy) => durable.SustainedPerSecond / proxy.Calls.CallsPerSecond;

    /// <summary>Nearest rank; NaN when empty.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Rate(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static string Micros(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
