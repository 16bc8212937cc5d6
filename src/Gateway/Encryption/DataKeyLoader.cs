using Gateway.Core.Encryption;

namespace Gateway.Encryption;

/// <summary>Reads each configured data key from its file, environment variable or value.</summary>
public sealed class DataKeyLoader(string contentRoot, Func<string, string?> environment)
{
    /// <summary>The key at <paramref name="index"/>, or the reason it cannot be read, naming the setting but never key text.</summary>
    public (DataKey? Key, string? Problem) Load(DataKeyOptions options, int index)
    {
        var setting = $"{EncryptionOptions.Section}:Keys:{index}";
        if (!DataKeyId.IsValid(options.Id))
        {
            return (null, $"{setting}:Id must be 1 to {DataKeyId.MaxLength} of the characters A-Z a-z 0-9 . _ - (e.g. k1).");
        }

        var sources = new[] { options.Path, options.Environment, options.Value }.Count(s => !string.IsNullOrEmpty(s));
        if (sources != 1)
        {
            return (null, $"{setting} (key '{options.Id}') must give exactly one of Path, Environment or Value.");
        }

        string? text;
        if (!string.IsNullOrEmpty(options.Path))
        {
            var path = System.IO.Path.GetFullPath(options.Path, contentRoot);
            if (!File.Exists(path))
            {
                return (null, $"{setting}:Path: the key file {path} of key '{options.Id}' does not exist.");
            }

            text = File.ReadAllText(path);
        }
        else if (!string.IsNullOrEmpty(options.Environment))
        {
            text = environment(options.Environment);
            if (string.IsNullOrWhiteSpace(text))
            {
                return (null, $"{setting}:Environment: the environment variable {options.Environment} of key '{options.Id}' is not set.");
            }
        }
        else
        {
            text = options.Value!;
        }

        try
        {
            return (DataKey.FromBase64(options.Id, text), null);
        }
        catch (FormatException error)
        {
            return (null, $"{setting}: {error.Message} Generate one with: openssl rand -base64 32");
        }
    }
}
