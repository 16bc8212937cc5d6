using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Npgsql;

namespace Gateway.Bench.Cluster;

/// <summary>The postgres scenario's tables, one per part, and its goal lines (issue 20's "Benchmarks").</summary>
public static class PostgresReport
{
    /// <summary>Issue 20: PostgreSQL intake at 64 callers at least half the SQLite figure.</summary>
    public const int GoalCallers = 64;
    public const double GoalPostgresShare = 0.5;

    /// <summary>
    /// "No instance count at which throughput collapses", read here as: every instance count sustains at least this share
    /// of what one instance sustains on the same machine.
    /// </summary>
    public const double CollapseShare = 0.5;

    /// <summary>nginx's version line, once it was measured.</summary>
    public static string? NginxVersion { get; set; }

    public static async Task PrintHeaderAsync(string server, string synchronous, TimeSpan window)
    {
        var builder = new NpgsqlConnectionStringBuilder(server);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        var settings = new List<string>();
        foreach (var name in new[] { "server_version", "fsync", "synchronous_commit", "shared_buffers", "max_connections" })
        {
            await using var show = new NpgsqlCommand($"SHOW {name}", connection);
            settings.Add($"{name}={await show.ExecuteScalarAsync()}");
        }

        Console.WriteLine("Liaison Gateway on PostgreSQL (issue 20): every gateway a process of its own (Release build), gRPC over loopback HTTP/2 (h2c)");
        Console.WriteLine($"  runtime      {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, "
            + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC in this process (load generator)");
        Console.WriteLine($"  PostgreSQL   {builder.Host}:{builder.Port}, {string.Join(", ", settings)}; a fresh database per part");
        Console.WriteLine($"  SQLite       WAL, synchronous={synchronous}, a fresh file per part");
        Console.WriteLine($"  load         closed loop, channels = 4 per gateway instance; each fresh gateway gets {PostgresBench.ProcessWarmUp.TotalSeconds:0} s unmeasured "
            + $"at the highest count first; intake cells {PostgresBench.CellWarmUp.TotalSeconds:0} s unmeasured, then {window.TotalSeconds:0} s measured");
        Console.WriteLine("               everything (gateways, PostgreSQL, PartnerSim, nginx, this load generator) shares the cores: compare within one run");
        Console.WriteLine();
    }

    public static void PrintIntake(IReadOnlyList<IntakeRow> rows)
    {
        Console.WriteLine("Part 1, intake: SubmitReferral of the reference referral (CN/PLO-RU -> CN/FJPSD, one case, coordination hold), delivery off;");
        Console.WriteLine("        a SQLite gateway and a PostgreSQL gateway both running, measured in turn at each caller count");
        const string format = "{0,8} | {1,12} | {2,7} | {3,7} | {4,16} | {5,7} | {6,7} | {7,9}";
        Heading(format, ["callers", "SQLite acc/s", "p50 ms", "p99 ms", "PostgreSQL acc/s", "p50 ms", "p99 ms", "PG/SQLite"]);
        foreach (var row in rows)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, format,
                row.Callers, Rate(row.Sqlite.CallsPerSecond), Ms(row.Sqlite.PercentileMs(0.5)), Ms(row.Sqlite.PercentileMs(0.99)),
                Rate(row.Postgres.CallsPerSecond), Ms(row.Postgres.PercentileMs(0.5)), Ms(row.Postgres.PercentileMs(0.99)), Percent(row.PostgresToSqlite)));
        }

        Errors(rows.SelectMany(r => new[] { ("SQLite", r.Sqlite), ("PostgreSQL", r.Postgres) }));
        Console.WriteLine("  PostgreSQL's sessions during each PostgreSQL cell (pg_stat_activity, warm-up included):");
        foreach (var row in rows)
        {
            Console.WriteLine($"  {row.Callers,6}  {row.Activity}");
        }

        Console.WriteLine("  machine CPU busy (every process), SQLite / PostgreSQL cells: " + string.Join(", ", rows.Select(r =>
            $"{r.Callers} caller{(r.Callers == 1 ? "" : "s")} {Percent(r.Sqlite.MachineBusyPercent / 100)} / {Percent(r.Postgres.MachineBusyPercent / 100)}")));
        Console.WriteLine();
    }

    public static void PrintDelivery(IReadOnlyList<FlowCell> cells)
    {
        Console.WriteLine($"Part 2, delivery: {PostgresBench.DeliveryCallers} callers (CN/NCB -> CN/FJPSD, a case per message) into one gateway delivering to one PartnerSim;");
        Console.WriteLine("        delivered = applied at the endpoint inside the measured window; sustained = the lower of accepted/s and delivered/s");
        FlowTable(cells, "store", c => c.Store, baseline: null);
        Console.WriteLine();
    }

    public static void PrintNginx(IReadOnlyList<NginxRow>? rows, IReadOnlyList<IntakeRow> intake)
    {
        if (rows is null)
        {
            return;
        }

        Console.WriteLine($"Part 3, nginx ({NginxVersion}): the same SubmitReferral calls through nginx (grpc_pass, h2c, upstream keepalive, 2 workers) to a");
        Console.WriteLine("        ReferralService in this process that keeps nothing; the non-durable proxy baseline. \"direct\": that no-op called without nginx;");
        Console.WriteLine("        SQLite/nginx and PG/nginx: part 1's gateway figures at the same count against nginx's");
        const string format = "{0,8} | {1,13} | {2,7} | {3,7} | {4,14} | {5,12} | {6,8}";
        Heading(format, ["callers", "nginx calls/s", "p50 ms", "p99 ms", "direct calls/s", "SQLite/nginx", "PG/nginx"]);
        foreach (var row in rows)
        {
            var gateway = intake.FirstOrDefault(r => r.Callers == row.Proxied.Callers);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, format,
                row.Proxied.Callers, Rate(row.Proxied.CallsPerSecond), Ms(row.Proxied.PercentileMs(0.5)), Ms(row.Proxied.PercentileMs(0.99)),
                Rate(row.Direct.CallsPerSecond),
                gateway is null ? "n/a" : Percent(gateway.Sqlite.CallsPerSecond / row.Proxied.CallsPerSecond),
                gateway is null ? "n/a" : Percent(gateway.Postgres.CallsPerSecond / row.Proxied.CallsPerSecond)));
        }

        Errors(rows.SelectMany(r => new[] { ("nginx", r.Proxied), ("direct", r.Direct) }));
        Console.WriteLine();
    }

    public static void PrintInstances(IReadOnlyList<FlowCell> cells)
    {
        Console.WriteLine($"Part 4, instances on one PostgreSQL database: {PostgresBench.DeliveryCallers} callers spread evenly over the instances, every instance");
        Console.WriteLine("        accepting and delivering (to one PartnerSim), a fresh database per count; \"vs 1\": sustained against one instance's");
        FlowTable(cells, "instances", c => c.Instances.ToString(CultureInfo.InvariantCulture), baseline: cells.FirstOrDefault(c => c.Instances == 1));
        Console.WriteLine();
    }

    public static void PrintFailover(FailoverResult result)
    {
        Console.WriteLine($"Part 5, failover: instances A and B on one database, lease {Seconds(PostgresBench.FailoverLease)} s, endpoint timeout "
            + $"{Seconds(PostgresBench.FailoverTimeout)} s, the endpoint answering after {PostgresBench.FailoverEndpointDelayMs} ms;");
        Console.WriteLine($"        {PostgresBench.FailoverCallers} callers into B; after {Seconds(PostgresBench.LoadBeforeKill)} s, once A holds leases, A is SIGKILLed");
        Console.WriteLine($"  in flight under A's leases at the kill   {result.InFlightAtKill}");
        Console.WriteLine($"  their leases ran out                     {Seconds(result.LeasesRunOut)} s after the kill (the last of them)");
        Console.WriteLine($"  first of them delivered by B             {Elapsed(result.FirstResumed)}");
        Console.WriteLine($"  all of them delivered by B               {Elapsed(result.AllDelivered)}"
            + (result.AllDelivered is null ? $" (states then: {string.Join(", ", result.States.Select(s => $"{s.Key} {s.Value}"))})" : ""));
        Console.WriteLine($"  acknowledged by B / applied at endpoint  {result.Accepted} / {result.Applied} (drained {Elapsed(result.Drain)} after the load), "
            + $"{result.DeadLettered} dead-lettered, {result.Calls.Errors} calls failed");
        Console.WriteLine();
    }

    public static void PrintGoals(IReadOnlyList<IntakeRow> intake, IReadOnlyList<FlowCell> instances, FailoverResult failover)
    {
        Console.WriteLine("goals (issue 20):");
        var atGoal = intake.FirstOrDefault(r => r.Callers == GoalCallers);
        Console.WriteLine(atGoal is null
            ? $"  PostgreSQL intake at {GoalCallers} callers >= {GoalPostgresShare:P0} of SQLite: not measured at {GoalCallers} callers"
            : $"  PostgreSQL intake at {GoalCallers} callers >= {GoalPostgresShare:P0} of SQLite: {Percent(atGoal.PostgresToSqlite)} -> {Verdict(atGoal.PostgresToSqlite >= GoalPostgresShare)}");

        var one = instances.FirstOrDefault(c => c.Instances == 1);
        if (one is not null && one.SustainedPerSecond > 0)
        {
            var worst = instances.MinBy(c => c.SustainedPerSecond)!;
            var share = worst.SustainedPerSecond / one.SustainedPerSecond;
            Console.WriteLine($"  no instance count at which throughput collapses (each sustains >= {CollapseShare:P0} of 1 instance): lowest {worst.Instances} "
                + $"instance{(worst.Instances == 1 ? "" : "s")} at {Percent(share)} -> {Verdict(share >= CollapseShare)}");
        }
        else
        {
            Console.WriteLine("  no instance count at which throughput collapses: not judged, one instance sustained nothing in its window");
        }

        var limit = 2 * PostgresBench.FailoverLease;
        Console.WriteLine($"  killed instance's deliveries delivered elsewhere < 2 x lease ({Seconds(limit)} s): {Elapsed(failover.AllDelivered)} -> "
            + Verdict(failover.InFlightAtKill > 0 && failover.AllDelivered < limit));
    }

    private static void FlowTable(IReadOnlyList<FlowCell> cells, string first, Func<FlowCell, string> name, FlowCell? baseline)
    {
        const string format = "{0,10} | {1,10} | {2,7} | {3,7} | {4,11} | {5,11} | {6,6} | {7,7} | {8,8}";
        Heading(format, [first, "accepted/s", "p50 ms", "p99 ms", "delivered/s", "sustained/s", "vs 1", "drain s", "CPU busy"]);
        foreach (var cell in cells)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, format,
                name(cell), Rate(cell.Calls.CallsPerSecond), Ms(cell.Calls.PercentileMs(0.5)), Ms(cell.Calls.PercentileMs(0.99)),
                Rate(cell.DeliveredPerSecond), Rate(cell.SustainedPerSecond),
                baseline is null ? "" : baseline.SustainedPerSecond > 0 ? Percent(cell.SustainedPerSecond / baseline.SustainedPerSecond) : "n/a",
                cell.Drain is { } drain ? Seconds(drain) : "LOST",
                Percent(cell.Calls.MachineBusyPercent / 100)));
        }

        foreach (var cell in cells.Where(c => c.Activity is not null))
        {
            Console.WriteLine($"  PostgreSQL's sessions, {name(cell)}: {cell.Activity}");
        }

        Errors(cells.Select(c => ($"{c.Store} x{c.Instances}", c.Calls)));
        foreach (var cell in cells.Where(c => c.Drain is null))
        {
            Console.WriteLine($"  {cell.Store} x{cell.Instances}: not every acknowledged message was applied at the endpoint within the drain timeout");
        }
    }

    private static void Errors(IEnumerable<(string Name, Measurement Measurement)> measurements)
    {
        foreach (var (name, measurement) in measurements.Where(m => m.Measurement.Errors > 0))
        {
            Console.WriteLine($"  errors, {name} at {measurement.Callers} callers: {measurement.Errors}, first: {measurement.FirstError}");
        }
    }

    private static void Heading(string format, object[] names)
    {
        var header = string.Format(CultureInfo.InvariantCulture, format, names);
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
    }

    private static string Rate(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (100 * share).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture);

    private static string Elapsed(TimeSpan? span) => span is { } s ? $"{Seconds(s)} s" : "not within the wait";

    private static string Verdict(bool holds) => holds ? "MET" : "NOT MET";
}
