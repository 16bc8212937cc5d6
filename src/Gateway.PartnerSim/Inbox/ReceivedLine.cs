using System.Globalization;
using System.Text;
using Interagency.V1;

namespace Gateway.PartnerSim.Inbox;

/// <summary>
/// One line of received.log: time, outcome, ids, kind, case, attempt and flags. Nothing from the payload's content,
/// so no names or documents ever reach the log.
/// </summary>
public static class ReceivedLine
{
    public const string Applied = "APPLIED";
    public const string Duplicate = "DUPLICATE";
    public const string Refused = "REFUSED";

    /// <summary>The agency refused the delivery (<c>--refuse</c>): answered REFUSED with a reason, not applied.</summary>
    public const string Declined = "DECLINED";

    /// <summary>The agency asked the sender a question about it (<c>--clarify</c>), not applied.</summary>
    public const string Asked = "ASKED";

    /// <summary>The word for an answered delivery's outcome.</summary>
    public static string Of(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Applied => Applied,
        DeliveryOutcome.Duplicate => Duplicate,
        DeliveryOutcome.Refused => Declined,
        DeliveryOutcome.ClarificationRequested => Asked,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an answer the inbox gives."),
    };

    public static string Format(DateTimeOffset at, string outcome, DeliverRequest delivery)
    {
        var flags = new List<string>(3);
        if (delivery.PrepareOnly)
        {
            flags.Add("prepare_only");
        }

        if (delivery.Late)
        {
            flags.Add("late");
        }

        if (delivery.Replayed)
        {
            flags.Add("replayed");
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {outcome,-9} delivery={Clean(delivery.DeliveryId)} message={Clean(delivery.Header?.MessageId)} kind={PayloadKind.Of(delivery)} case={Clean(delivery.Header?.CaseReference)} attempt={delivery.Attempt} flags={(flags.Count == 0 ? "-" : string.Join(',', flags))}");
    }

    // Ids come from the caller: keep each on one line and one field, so a crafted id cannot forge a log line.
    private static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var clean = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            clean.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? '_' : c);
        }

        return clean.ToString();
    }
}
