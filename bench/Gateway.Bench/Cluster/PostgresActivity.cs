using System.Globalization;
using Npgsql;

namespace Gateway.Bench.Cluster;

/// <summary>
/// What the database's sessions were doing during a run, sampled from <c>pg_stat_activity</c> every few milliseconds:
/// how many were active on average, and what the active ones waited on (none: running on a core). Where the time of a
/// PostgreSQL figure went, without a profiler: lock waits point at the store's statements, WAL flushes at the disk,
/// client reads at the gateways.
/// </summary>
public sealed class PostgresActivity
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, int> _waits = new(StringComparer.Ordinal);
    private int _samples;
    private int _active;

    /// <summary>Runs <paramref name="during"/> while sampling the sessions on <paramref name="connectionString"/>'s database.</summary>
    public static async Task<(T Result, PostgresActivity Activity)> SampleAsync<T>(string connectionString, Func<Task<T>> during)
    {
        var activity = new PostgresActivity();
        using var stop = new CancellationTokenSource();
        var sampling = activity.SampleUntilAsync(connectionString, stop.Token);
        try
        {
            return (await during(), activity);
        }
        finally
        {
            await stop.CancelAsync();
            await sampling;
        }
    }

    /// <summary>Average active sessions and the most frequent waits among them, e.g. "2.1 active: CPU 60 %, IO/WalSync 25 %".</summary>
    public override string ToString()
    {
        if (_samples == 0 || _active == 0)
        {
            return "no active session sampled";
        }

        var top = _waits.OrderByDescending(w => w.Value).Take(5).Select(w => $"{w.Key} {100.0 * w.Value / _active:0} %");
        return string.Create(CultureInfo.InvariantCulture, $"{(double)_active / _samples:0.0} active sessions on average; of their samples: {string.Join(", ", top)}");
    }

    private async Task SampleUntilAsync(string connectionString, CancellationToken stop)
    {
        // Its own connection, outside the pools the gateways' figures come from.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(stop);
        // A session waiting for a row lock names the table (a lock on a transaction id names none, but the tuple lock
        // queued behind it does): which shared row the writers queue on.
        await using var query = new NpgsqlCommand(
            "SELECT coalesce(a.wait_event_type || '/' || a.wait_event, 'CPU') || coalesce(' on ' || "
            + "(SELECT l.relation::regclass::text FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted AND l.relation IS NOT NULL LIMIT 1), '') "
            + "FROM pg_stat_activity a WHERE a.datname = current_database() AND a.state = 'active' AND a.pid <> pg_backend_pid()",
            connection);
        await query.PrepareAsync(stop);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await using (var reader = await query.ExecuteReaderAsync(stop))
                {
                    while (await reader.ReadAsync(stop))
                    {
                        var wait = reader.GetString(0);
                        _waits[wait] = _waits.GetValueOrDefault(wait) + 1;
                        _active++;
                    }
                }

                _samples++;
                await Task.Delay(Interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }
}
