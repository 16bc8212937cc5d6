namespace Gateway.Fuzz;

/// <summary>Runs saved inputs (a crash, a corpus) through a harness outside AFL and prints what intake made of each.</summary>
internal static class Replay
{
    public static int Run(Harness harness, IReadOnlyList<string> inputs)
    {
        var path = new IntakePath();
        var files = inputs.SelectMany(i => Directory.Exists(i) ? Directory.EnumerateFiles(i).Order() : (IEnumerable<string>)[i]).ToList();
        var counts = new Dictionary<string, int>();
        foreach (var file in files)
        {
            string outcome;
            try
            {
                outcome = FuzzRun.Execute(harness, path, File.ReadAllBytes(file)).ToString();
            }
            catch (Exception e)
            {
                outcome = $"crash {e.GetType().Name}";
                Console.WriteLine($"{file}: {e}");
            }

            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            if (files.Count == 1)
            {
                Console.WriteLine($"{file}: {outcome}");
            }
        }

        foreach (var (outcome, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"{count,8} {outcome}");
        }

        return counts.Keys.Any(k => k.StartsWith("crash", StringComparison.Ordinal)) ? 1 : 0;
    }
}
