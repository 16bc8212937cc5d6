using Gateway.Core.Storage;

namespace Gateway.Audit;

/// <summary>
/// Fixed windows per source: the first <c>permits</c> refusals of a window are admitted, the rest counted; a window
/// that closes with a count yields one <see cref="SuppressedRefusals"/>. Refusals given a reason are counted per source
/// and reason. At most <c>maxSources</c> sources are tracked; further ones share the window of <see cref="OtherSources"/>.
/// Not thread-safe: its owner locks.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's partitioned fixed-window limiter decides admission alike, but it neither reports
/// how many it refused in a window nor when a window ends (the moment the count is written), keeps a partition per
/// source without bound until it idles, and reads the machine clock rather than a <see cref="TimeProvider"/>.
/// </remarks>
public sealed class RefusalBudget(int permits, TimeSpan window, int maxSources)
{
    /// <summary>The source under which refusals are counted once <c>maxSources</c> others are tracked.</summary>
    public const string OtherSources = "other";

    private readonly Dictionary<(string Source, string? Reason), Tally> _open = [];

    // Windows are opened in time order and all last as long, so they close in this order.
    private readonly Queue<Tally> _byEnd = new();

    /// <summary>When the earliest open window closes, or null if none is open.</summary>
    public DateTimeOffset? NextClose => _byEnd.TryPeek(out var first) ? first.Start + window : null;

    /// <summary>
    /// Counts a refusal from <paramref name="source"/> (for <paramref name="reason"/>, if given) at <paramref name="now"/>:
    /// true if it is audited on its own.
    /// </summary>
    public bool TryAdmit(string source, DateTimeOffset now, string? reason = null)
    {
        if (!_open.TryGetValue((source, reason), out var tally))
        {
            if (_open.Count >= maxSources && !_open.TryGetValue((OtherSources, reason), out tally))
            {
                source = OtherSources;
            }

            if (tally is null)
            {
                tally = new Tally(source, reason, now);
                _open.Add((source, reason), tally);
                _byEnd.Enqueue(tally);
            }
        }

        if (tally.Admitted < permits)
        {
            tally.Admitted++;
            return true;
        }

        tally.Suppressed++;
        return false;
    }

    /// <summary>Closes the windows that have ended by <paramref name="now"/> (all of them if <paramref name="all"/>); returns the counts to write.</summary>
    public List<SuppressedRefusals> Close(DateTimeOffset now, bool all = false)
    {
        var closed = new List<SuppressedRefusals>();
        while (_byEnd.TryPeek(out var tally) && (all || tally.Start + window <= now))
        {
            _byEnd.Dequeue();
            _open.Remove((tally.Source, tally.Reason));
            if (tally.Suppressed > 0)
            {
                var end = tally.Start + window;
                closed.Add(new SuppressedRefusals(tally.Source, tally.Start, end < now ? end : now, tally.Suppressed, tally.Reason));
            }
        }

        return closed;
    }

    private sealed class Tally(string source, string? reason, DateTimeOffset start)
    {
        public string Source { get; } = source;

        public string? Reason { get; } = reason;

        public DateTimeOffset Start { get; } = start;

        public int Admitted { get; set; }

        public long Suppressed { get; set; }
    }
}
