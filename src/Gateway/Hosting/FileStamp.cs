using System.Security.Cryptography;

namespace Gateway.Hosting;

/// <summary>
/// What a file held when it was last looked at, by SHA-256 of its bytes; null when it could not be read (missing,
/// forbidden). Certificate, key and CRL files are replaced in place by operators and tools: a rotated key of the same
/// size can keep its length and land within the file system's time resolution, so size and write time would miss it.
/// The files are a few kilobytes, read at most once a second or once per operator call.
/// </summary>
public readonly record struct FileStamp(string Path, string? ContentHash)
{
    public static FileStamp Of(string path)
    {
        try
        {
            return new FileStamp(path, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new FileStamp(path, null);
        }
    }

    /// <summary>The stamps of <paramref name="paths"/>, in order, to compare as a sequence.</summary>
    public static FileStamp[] Of(IEnumerable<string> paths) => [.. paths.Select(Of)];
}
