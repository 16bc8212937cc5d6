using Gateway.Core.Encryption;

namespace Gateway.Encryption;

/// <summary>
/// The data key of a development gateway with none configured: made once, beside the store, readable by its owner
/// only, and reused at every start. Development data is sealed like production data (the same code path runs, and a
/// copied database file alone reveals nothing), without asking a newcomer to configure a key first; the key file
/// beside the store is no protection against whoever copies the whole folder, which the gateway says loudly.
/// </summary>
public static class DevelopmentDataKey
{
    public const string KeyId = "dev";

    /// <summary>The key file of the store at <paramref name="storePath"/>.</summary>
    public static string PathFor(string storePath) => storePath + ".data-key";

    /// <summary>Reads the key file of the store, or makes it; says which.</summary>
    public static (DataKey Key, bool Created) LoadOrCreate(string storePath)
    {
        var path = PathFor(storePath);
        if (File.Exists(path))
        {
            return (DataKey.FromBase64(KeyId, File.ReadAllText(path)), false);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var key = DataKey.Generate(KeyId);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(key.ToBase64());
        }

        return (key, true);
    }
}
