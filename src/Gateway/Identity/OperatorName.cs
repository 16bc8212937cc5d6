using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Gateway.Identity;

/// <summary>
/// An operator of the gateway, e.g. <c>duty-officer-1</c>: a lower-case login-style name in development mode, or the
/// subject of the operator's token (a Keycloak user id such as <c>f47ac10b-58cc-4372-a567-0e02b2c3d479</c>, an Entra
/// pairwise subject such as <c>AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ</c>), never a person's full name, so that it
/// can stand in the audit log.
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

    /// <summary>
    /// The operator a token's <c>sub</c> names, kept exactly as issued: subjects are case-sensitive (Entra's are base64url),
    /// so lower-casing them could merge two operators. Letters, digits, '.', '_', '-', ':' and '|' (Keycloak's federated
    /// <c>f:PROVIDER:ID</c>), up to 128 characters; nothing that could be an e-mail address or a display name.
    /// </summary>
    public static bool TryFromSubject([NotNullWhen(true)] string? subject, out OperatorName name)
    {
        name = default;
        if (subject is null || !SubjectPattern().IsMatch(subject))
        {
            return false;
        }

        name = new OperatorName(subject);
        return true;
    }

    public override string ToString() => Value ?? string.Empty;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:|-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectPattern();
}
