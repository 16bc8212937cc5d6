using System.Globalization;

namespace Gateway.Cli.Demo;

/// <summary>
/// What a PartnerSim received, read from its received.log (src/Gateway.PartnerSim/README.md): one line per delivery,
/// flushed after each commit, with no content. A text file keeps gatewayctl free of a database driver.
/// </summary>
internal static class EndpointLog
{
    public const string FileName = "received.log";

    /// <summary>The lines written so far; none when the file does not exist yet.</summary>
    public static IReadOnlyList<EndpointEntry> Read(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        // The PartnerSim keeps it open for appending; share it, and ignore a last line still being written.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        var text = reader.ReadToEnd();
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        return [.. complete.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).OfType<EndpointEntry>()];
    }

    /// <summary>One line, e.g. <c>2026-11-27T12:10:41.734Z APPLIED   delivery=17 message=... kind=referral case=... attempt=1 flags=prepare_only</c>.</summary>
    public static EndpointEntry? Parse(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || !DateTimeOffset.TryParse(words[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return null;
        }

        var fields = words.Skip(2)
            .Select(w => w.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        return new EndpointEntry(
            at.ToUniversalTime(),
            words[1],
            fields.GetValueOrDefault("delivery", "-"),
            fields.GetValueOrDefault("message", "-"),
            fields.GetValueOrDefault("kind", "-"),
            uint.TryParse(fields.GetValueOrDefault("attempt"), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) ? attempt : 0,
            fields.GetValueOrDefault("flags", "-") is "-" or null ? [] : fields["flags"].Split(','));
    }
}

/// <summary>A delivery a PartnerSim received: when, its outcome (APPLIED, DUPLICATE, ...), ids, payload kind, attempt and flags.</summary>
internal sealed record EndpointEntry(
    DateTimeOffset At, string Outcome, string DeliveryId, string MessageId, string Kind, uint Attempt, IReadOnlyList<string> Flags)
{
    public bool IsApplied => Outcome == "APPLIED";
}
