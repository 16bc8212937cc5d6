using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench;

/// <summary>
/// What this disk alone costs a durable acknowledgement: a write of one commit's size, overwriting a file in place as
/// the store's WAL does, then a flush to disk the way the store flushes (<see cref="FileStream.Flush(bool)"/>). No
/// commit can be answered sooner than its flush, so these figures are the floor under the referral latencies.
/// </summary>
public static class DiskFloor
{
    private const int Flushes = 1500;
    private const int Slots = 64;

    /// <summary>Sizes measured: one page, and about what one referral commits alone (its rows' and indexes' pages).</summary>
    public static readonly int[] Sizes = [4 * 1024, 32 * 1024];

    public static IReadOnlyList<DiskFlush> Measure(DirectoryInfo directory) =>
        [.. Sizes.Select(size => Measure(directory, size))];

    public static void Print(IReadOnlyList<DiskFlush> floor) =>
        Console.WriteLine("disk alone (write in place, then flush; floor under a durable answer): " + string.Join(", ", floor.Select(f =>
            $"{f.Bytes / 1024} KiB p50 {f.P50Ms.ToString("0.000", CultureInfo.InvariantCulture)} / p99 {f.P99Ms.ToString("0.000", CultureInfo.InvariantCulture)} ms")));

    private static DiskFlush Measure(DirectoryInfo directory, int size)
    {
        var path = Path.Combine(directory.FullName, $"disk-floor-{size}.bin");
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            var block = new byte[size];
            Random.Shared.NextBytes(block);

            // Allocated and on disk first, so that the measured flushes carry data only, as the reused WAL's do.
            for (var slot = 0; slot < Slots; slot++)
            {
                file.Write(block);
            }

            file.Flush(flushToDisk: true);
            var millis = new double[Flushes];
            for (var i = 0; i < Flushes; i++)
            {
                file.Position = (long)(i % Slots) * size;
                file.Write(block);
                var started = Stopwatch.GetTimestamp();
                file.Flush(flushToDisk: true);
                millis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Array.Sort(millis);
            return new DiskFlush(size, millis[Flushes / 2], millis[(int)(Flushes * 0.99)]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>One size's write-then-flush latencies on this disk, in milliseconds.</summary>
public sealed record DiskFlush(int Bytes, double P50Ms, double P99Ms);
