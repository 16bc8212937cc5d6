namespace Gateway.Cli;

/// <summary>A command name and its <c>--option value</c> pairs.</summary>
/// <remarks>
/// Parsed by hand: the CLI has a few commands and a handful of options, and a parsing library would be the
/// largest part of it. Options take exactly one value (<c>--name value</c> or <c>--name=value</c>); there are
/// no flags, so a missing value is always a mistake worth reporting. A list option takes one or more values
/// (<c>--delivery 12 13</c>, <c>--delivery 12,13</c>, or the option repeated).
/// </remarks>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _options;
    private readonly Dictionary<string, List<string>> _lists;

    private CommandLine(string command, Dictionary<string, string> options, Dictionary<string, List<string>> lists)
    {
        Command = command;
        _options = options;
        _lists = lists;
    }

    public string Command { get; }

    /// <summary>Parses <paramref name="args"/>; returns null with <paramref name="error"/> set when they make no sense.</summary>
    public static CommandLine? Parse(string[] args, IReadOnlySet<string> knownOptions, out string? error) =>
        Parse(args, knownOptions, new HashSet<string>(), out error);

    /// <summary>As above, with <paramref name="listOptions"/> taking one or more values.</summary>
    public static CommandLine? Parse(string[] args, IReadOnlySet<string> knownOptions, IReadOnlySet<string> listOptions, out string? error)
    {
        error = null;
        if (args.Length == 0)
        {
            error = "no command given";
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }

            string name;
            string? value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[2..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                name = arg[2..];
                value = i + 1 < args.Length ? args[++i] : null;
            }

            if (!knownOptions.Contains(name) && !listOptions.Contains(name))
            {
                error = $"unknown option '--{name}'";
                return null;
            }

            if (string.IsNullOrEmpty(value))
            {
                error = $"option '--{name}' needs a value";
                return null;
            }

            if (listOptions.Contains(name))
            {
                var values = lists.TryGetValue(name, out var found) ? found : lists[name] = [];
                values.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                while (equals <= 0 && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    values.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }

                continue;
            }

            // A repeated option would silently override the first one; say so instead of guessing.
            if (!options.TryAdd(name, value))
            {
                error = $"option '--{name}' given twice";
                return null;
            }
        }

        return new CommandLine(args[0], options, lists);
    }

    public string Get(string name, string defaultValue) => _options.GetValueOrDefault(name, defaultValue);

    public string? Find(string name) => _options.GetValueOrDefault(name);

    /// <summary>The values of a list option, in the order given; empty when it was not given.</summary>
    public IReadOnlyList<string> GetAll(string name) => _lists.TryGetValue(name, out var values) ? values : [];
}
