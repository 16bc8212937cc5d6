using System.Reflection;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Cli.Output;

/// <summary>How the text output writes the values every command shows.</summary>
internal static class Text
{
    public static string Time(Timestamp? at) => at is null ? "-" : at.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    public static string List(IEnumerable<string> values) => string.Join(", ", values) is { Length: > 0 } text ? text : "-";

    public static string Plural(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";

    public static void PrintReceipt(Receipt receipt, TextWriter output)
    {
        output.WriteLine($"  message id:          {receipt.MessageId}");
        output.WriteLine($"  resolved recipients: {List(receipt.ResolvedRecipients)}");
        output.WriteLine($"  accepted at:         {Time(receipt.AcceptedAt)}");
        output.WriteLine($"  audit sequence:      {receipt.AuditSequence}");
        output.WriteLine($"  state:               {EnumName(receipt.State)}");
    }

    /// <summary>
    /// An enum value as the .proto spells it, without its type's prefix, as the docs name them: ACCEPTED for
    /// MESSAGE_STATE_ACCEPTED, DELIVERED for DELIVERY_STATUS_DELIVERED.
    /// </summary>
    public static string EnumName<T>(T value)
        where T : struct, System.Enum
    {
        if (OriginalName(value) is not { } name)
        {
            return $"UNKNOWN ({Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)})";
        }

        var prefix = OriginalName(default(T))!.Replace("UNSPECIFIED", string.Empty, StringComparison.Ordinal);
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }

    private static string? OriginalName<T>(T value)
        where T : struct, System.Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<OriginalNameAttribute>()?.Name;
}
