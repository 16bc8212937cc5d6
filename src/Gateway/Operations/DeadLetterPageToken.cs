using System.Globalization;
using System.Text;
using Gateway.Core.Intake;

namespace Gateway.Operations;

/// <summary>
/// The page token of ListDeadLetters: opaque to clients, it carries the last delivery id of the page, since pages
/// run by delivery id. A dead letter replayed or added meanwhile never makes a page repeat or skip another.
/// </summary>
public static class DeadLetterPageToken
{
    private const string Prefix = "dl1:";

    public static readonly IntakeRefusal Invalid = new(
        RefusalCode.InvalidArgument,
        "page_token",
        "The page token was not given out by this gateway; send the next_page_token of the previous page, or none for the first page.",
        [new FieldViolation("page_token", "must be the next_page_token of a previous ListDeadLetters answer, or empty")]);

    public static string Write(long lastDeliveryId) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(Prefix + lastDeliveryId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads the delivery id to continue after: 0 for an empty token; false when the token is not ours.</summary>
    public static bool TryRead(string token, out long afterDeliveryId)
    {
        afterDeliveryId = 0;
        if (token.Length == 0)
        {
            return true;
        }

        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var length))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(bytes, 0, length);
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out afterDeliveryId)
            && afterDeliveryId > 0;
    }
}
