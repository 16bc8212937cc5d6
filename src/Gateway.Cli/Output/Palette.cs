namespace Gateway.Cli.Output;

/// <summary>
/// ANSI colours for the terminal, and none anywhere else: not when the output is redirected or captured (a file, a
/// pipe, a test), and never when NO_COLOR is set (https://no-color.org).
/// </summary>
internal sealed class Palette(bool enabled)
{
    public const string Red = "31";
    public const string Green = "32";
    public const string Yellow = "33";
    public const string Magenta = "35";
    public const string Cyan = "36";
    public const string Dim = "2";

    public static readonly Palette None = new(false);

    public bool Enabled => enabled;

    /// <summary>Colours for <paramref name="output"/>: only the console's own output, on a terminal, without NO_COLOR.</summary>
    public static Palette For(TextWriter output) =>
        new(ShouldColour(ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>The rule, as a plain function: a terminal, and NO_COLOR absent or empty.</summary>
    public static bool ShouldColour(bool isTerminal, string? noColor) => isTerminal && string.IsNullOrEmpty(noColor);

    public string Paint(string text, string colour) => enabled && text.Length > 0 ? $"\u001b[{colour}m{text}\u001b[0m" : text;
}
