using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Gateway.Identity;

/// <summary>
/// An operator of the gateway, e.g. <c>duty-officer-1</c>: a lower-case login-style name, never a person's full name,
/// so that it can stand in the audit log.
/// </summary>
public readonly partial record struct OperatorName
{
    private OperatorName(string value) => Value = value;

    public string Value { get; }

    /// <summary>How the audit log names the operator, apart from agencies.</summary>
    public string Actor => "operator:" + Value;

    public static bool TryParse([NotNullWhen(true)] string? value, out OperatorName name)
    {
        name = default;
        if (value is null || !Pattern().IsMatch(value))
        {
            return false;
        }

        name = new OperatorName(value);
        return true;
    }

    public override string ToString() => Value ?? string.Empty;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
