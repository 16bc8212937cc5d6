using System.Text.RegularExpressions;

namespace Gateway.FunctionalTests.Demo;

/// <summary>
/// What a demo run that played as expected printed, whichever mode it ran in: the three situations, each message's
/// fate where it matters, a timeline for every message sent; and what it leaves behind once it has exited: nothing.
/// </summary>
internal static partial class DemoExpectations
{
    public static void AssertPlayedAsExpected(DemoRun demo)
    {
        var lines = demo.Lines;
        Assert.Equal(
            [
                "== Situation 1: Kidnapping in Moscow: arrest in Fujian held until Russian police free the victim ==",
                "== Situation 2: Fugitive location request to three countries, a report back and the withdrawal ==",
                "== Situation 3: Evidence translation between the Argentine federal police and the ministry ==",
            ],
            lines.Where(l => l.StartsWith("== Situation", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/FJPSD at ", StringComparison.Ordinal) && l.EndsWith(" as referral, attempt 1 (prepare_only)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    refused: PermissionDenied", StringComparison.Ordinal) && l.Contains("field header.sender", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/FJPSD at ", StringComparison.Ordinal) && l.Contains(" as hold_release", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/PLO-TH at ", StringComparison.Ordinal) && l.Contains(" as location_request", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    delivered to CN/MPS at ", StringComparison.Ordinal) && l.Contains(" as location_report", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.StartsWith("    delivered to ", StringComparison.Ordinal) && l.Contains(" as withdrawal", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("    delivered to AR/PFA at ", StringComparison.Ordinal) && l.Contains(" as referral_answer", StringComparison.Ordinal));

        // Every message sent has a timeline: its heading, then gatewayctl trace's timeline of it.
        var sent = lines.Select(l => SentLine().Match(l)).Where(m => m.Success).Select(m => (What: m.Groups["what"].Value, Id: m.Groups["id"].Value)).ToList();
        Assert.Equal(10, sent.Count);
        foreach (var (what, id) in sent)
        {
            var heading = lines.ToList().FindIndex(l => l.StartsWith($"  {what} {id}: ", StringComparison.Ordinal));
            Assert.True(heading >= 0, $"No timeline for {what} {id}:\n{demo.Output}");
            var entry = lines[heading + 1];
            Assert.Matches(TimelineEntry(), entry);
        }

        Assert.Contains("All 3 situations played as expected", demo.Output, StringComparison.Ordinal);
    }

    /// <summary>No process the demo started runs on, and its folder is gone.</summary>
    public static void AssertLeftNothingBehind(string folder)
    {
        Assert.Empty(DemoRun.ProcessesNaming(folder));
        Assert.False(Directory.Exists(folder), $"The demo left {folder} behind.");
    }

    [GeneratedRegex(@"^  \S+ sent (?<what>[a-z ]+) (?<id>[0-9a-f-]{36})$")]
    private static partial Regex SentLine();

    // The first line of gatewayctl trace's timeline: the message stored, or one refused at intake.
    [GeneratedRegex(@"^    ([0-9a-f-]{36}  [A-Za-z]+ in case |Message never stored \(refused at intake\)\.$)")]
    private static partial Regex TimelineEntry();
}
