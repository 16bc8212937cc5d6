namespace Gateway.Core.Agencies;

/// <summary>
/// Enum values as the directory's configuration writes them: exactly a member's name (<c>Referral</c>,
/// <c>ForeignPartner</c>); numbers and other casings are refused, so that a typo is reported, not read as something else.
/// </summary>
public static class ConfiguredNames
{
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return text is { Length: > 0 } && char.IsAsciiLetterUpper(text[0])
            && Enum.TryParse(text, ignoreCase: false, out value) && Enum.IsDefined(value);
    }

    /// <summary>The member names, for a failure that says what to write instead.</summary>
    public static string List<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
}
