namespace Gateway.Core.Encryption;

/// <summary>What a data key id may be: short, printable and unambiguous in a sealed value's header and in logs.</summary>
public static class DataKeyId
{
    public const int MaxLength = 32;

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
