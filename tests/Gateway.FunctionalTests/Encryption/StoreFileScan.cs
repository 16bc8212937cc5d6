using System.Text;

namespace Gateway.FunctionalTests.Encryption;

/// <summary>Reads a store's database file and its WAL as raw bytes, as someone who copied them would.</summary>
internal static class StoreFileScan
{
    /// <summary>The values of <paramref name="values"/> found in the files, in UTF-8 or UTF-16 (either byte order).</summary>
    public static IReadOnlyList<string> Find(string databasePath, IEnumerable<string> values)
    {
        var files = new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Select(Read).ToArray();
        return values
            .Where(value => Encodings(value).Any(pattern => files.Any(bytes => bytes.AsSpan().IndexOf(pattern) >= 0)))
            .ToList();
    }

    /// <summary>How long the WAL is now: a scan of an empty WAL would prove nothing about what passes through it.</summary>
    public static long WalLength(string databasePath) => new FileInfo(databasePath + "-wal") is { Exists: true } wal ? wal.Length : 0;

    private static byte[] Read(string path)
    {
        // The gateway holds the files open and may be writing; share both ways, as a copying tool would.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static IEnumerable<byte[]> Encodings(string value) =>
        [Encoding.UTF8.GetBytes(value), Encoding.Unicode.GetBytes(value), Encoding.BigEndianUnicode.GetBytes(value)];
}
