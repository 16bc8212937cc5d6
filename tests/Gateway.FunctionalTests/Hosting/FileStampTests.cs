using Gateway.Hosting;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>A replaced certificate or key file is seen by what it holds, not by its size and write time.</summary>
public sealed class FileStampTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("liaison-filestamp-").FullName;

    [Fact]
    public void A_file_rewritten_with_the_same_size_and_write_time_has_another_stamp()
    {
        var path = Path.Combine(_folder, "key.pem");
        File.WriteAllText(path, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        var written = File.GetLastWriteTimeUtc(path);
        var length = new FileInfo(path).Length;
        var before = FileStamp.Of(path);

        File.WriteAllText(path, "-----BEGIN PUBLIC KEY-----\nBBBB\n-----END PUBLIC KEY-----\n");
        File.SetLastWriteTimeUtc(path, written);

        Assert.Equal((length, written), (new FileInfo(path).Length, File.GetLastWriteTimeUtc(path)));
        Assert.NotEqual(before, FileStamp.Of(path));
    }

    [Fact]
    public void The_same_bytes_written_again_have_the_same_stamp()
    {
        var path = Path.Combine(_folder, "crl.pem");
        File.WriteAllText(path, "same");
        var before = FileStamp.Of(path);

        File.WriteAllText(path, "same");

        Assert.Equal(before, FileStamp.Of(path));
    }

    [Fact]
    public void A_missing_file_has_no_content_hash_and_differs_from_the_file_once_written()
    {
        var path = Path.Combine(_folder, "missing.pem");

        var missing = FileStamp.Of(path);
        File.WriteAllText(path, "now here");

        Assert.Null(missing.ContentHash);
        Assert.NotEqual(missing, FileStamp.Of(path));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
