namespace Gateway.Cli;

/// <summary>A command name and its <c>--option value</c> pairs.</summary>
/// <remarks>
/// Parsed by hand: the CLI has three commands and a handful of options, and a parsing library would be the
/// largest part of it. Options take exactly one value (<c>--name value</c> or <c>--name=value</c>); there are
/// no flags, so a missing value is always a mistake worth reporting.
/// </remarks>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _options;

    private CommandLine(string command, Dictionary<string, string> options)
    {
        Command = command;
        _options = options;
    }

    public string Command { get; }

    /// <summary>Parses <paramref name="args"/>; returns null with <paramref name="error"/> set when they make no sense.</summary>
    public static CommandLine? Parse(string[] args, IReadOnlySet<string> knownOptions, out string? error)
    {
        error = null;
        if (args.Length == 0)
        {
            error = "no command given";
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
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

            if (!knownOptions.Contains(name))
            {
                error = $"unknown option '--{name}'";
                return null;
            }

            if (string.IsNullOrEmpty(value))
            {
                error = $"option '--{name}' needs a value";
                return null;
            }

            // A repeated option would silently override the first one; say so instead of guessing.
            if (!options.TryAdd(name, value))
            {
                error = $"option '--{name}' given twice";
                return null;
            }
        }

        return new CommandLine(args[0], options);
    }

    public string Get(string name, string defaultValue) => _options.GetValueOrDefault(name, defaultValue);

    public string? Find(string name) => _options.GetValueOrDefault(name);
}
