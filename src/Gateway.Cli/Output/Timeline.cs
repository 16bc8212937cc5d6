using System.Globalization;
using Interagency.V1;

namespace Gateway.Cli.Output;

/// <summary>
/// A message's trace as a person reads it in a terminal: what the message is, one line per event (time, audit sequence,
/// kind, actor, recipient, then what the event adds: attempt, duration, error, retry, reason, fields, justification),
/// and the state of each delivery. Colours follow the event's outcome: red for refusals and failures, yellow for holds
/// and retries, green for acceptance and delivery.
/// </summary>
internal static class Timeline
{
    public static void Print(GetMessageTraceResponse trace, TextWriter output, Palette palette)
    {
        if (trace.Message is { } message)
        {
            PrintSummary(message, output, palette);
            if (trace.LinkedFrom.Count > 0)
            {
                output.WriteLine($"  linked from: {string.Join(", ", trace.LinkedFrom)}");
            }
        }
        else
        {
            output.WriteLine(palette.Paint("Message never stored (refused at intake).", Palette.Red));
        }

        output.WriteLine();
        foreach (var e in trace.Events)
        {
            output.WriteLine(EventLine(e, palette));
        }

        if (trace.Deliveries.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Deliveries:");
            foreach (var d in trace.Deliveries)
            {
                output.WriteLine(DeliveryLine(d, palette));
            }
        }
    }

    public static void PrintSummary(MessageSummary message, TextWriter output, Palette palette)
    {
        output.WriteLine($"{palette.Paint(message.MessageId, Palette.Cyan)}  {message.Kind} in case {message.CaseReference} (owner {Or(message.CaseOwner)})");
        output.WriteLine($"  from {message.Sender} to {Text.List(message.Recipients)}, accepted {Text.Time(message.AcceptedAt)} (audit #{message.AcceptedSequence})");
        if (message.LinksTo.Length > 0)
        {
            output.WriteLine($"  links to: {message.LinksTo}");
        }

        if (message.TraceId.Length > 0)
        {
            output.WriteLine($"  trace id: {message.TraceId}");
        }
    }

    /// <summary>One event: time, #sequence, kind, actor and recipient in columns, then its details.</summary>
    public static string EventLine(TraceEvent e, Palette palette)
    {
        var details = Details(e);
        return $"{palette.Paint(Text.Time(e.At), Palette.Dim)}  {palette.Paint($"#{e.Sequence}".PadRight(6), Palette.Dim)}  "
            + $"{palette.Paint(e.Kind.PadRight(26), ColourOf(e))} {Or(e.Actor),-20} {(e.Recipient.Length > 0 ? "-> " + e.Recipient : string.Empty),-14}"
            + (details.Length > 0 ? " " + details : string.Empty);
    }

    public static string DeliveryLine(DeliveryTrace d, Palette palette)
    {
        var status = Text.EnumName(d.Status);
        var parts = new List<string> { Text.Plural((int)d.Attempts, "attempt", "attempts") };
        if (d.NextAttemptAt is not null)
        {
            parts.Add($"next attempt {Text.Time(d.NextAttemptAt)}");
        }

        if (d.FinishedAt is not null)
        {
            parts.Add($"finished {Text.Time(d.FinishedAt)}");
        }

        if (d.ReplyDueAt is not null)
        {
            parts.Add($"reply due {Text.Time(d.ReplyDueAt)}");
        }

        if (d.LastError.Length > 0)
        {
            parts.Add($"last error: {d.LastError}");
        }

        return $"  {d.DeliveryId,-6} {d.Recipient,-14} {palette.Paint(status.PadRight(23), ColourOf(d.Status))} {string.Join(", ", parts)}";
    }

    private static string Details(TraceEvent e)
    {
        var parts = new List<string>();
        if (e.Attempt > 0)
        {
            parts.Add($"attempt {e.Attempt}");
        }

        if (e.Duration is { } duration)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.ToTimeSpan().TotalMilliseconds:0.#} ms"));
        }

        if (e.Error.Length > 0)
        {
            parts.Add($"error: {e.Error}");
        }

        if (e.RetryAt is not null)
        {
            parts.Add($"retry at {Text.Time(e.RetryAt)}");
        }

        if (e.Code.Length > 0)
        {
            parts.Add($"code {e.Code}");
        }

        if (e.Reason.Length > 0)
        {
            parts.Add($"reason {e.Reason}");
        }

        if (e.FieldPaths.Count > 0)
        {
            parts.Add($"fields {string.Join(", ", e.FieldPaths)}");
        }

        if (e.Justification.Length > 0)
        {
            parts.Add($"\"{e.Justification}\"");
        }

        if (e.RelatedMessageId.Length > 0)
        {
            parts.Add($"related {e.RelatedMessageId}");
        }

        if (e.Via.Length > 0)
        {
            parts.Add($"via {e.Via}");
        }

        foreach (var route in e.Routes)
        {
            parts.Add($"routed to {route.Recipient} ({Route(route)})");
        }

        return string.Join("; ", parts);
    }

    private static string Route(RouteExplanation route)
    {
        var why = Text.EnumName(route.Reason).ToLowerInvariant().Replace('_', ' ');
        return why
            + (route.Addressed.Length > 0 ? $" for {route.Addressed}" : string.Empty)
            + (route.Agreement.Length > 0 ? $", agreement {route.Agreement}" : string.Empty);
    }

    private static string ColourOf(TraceEvent e) =>
        e.Kind.Contains("refused", StringComparison.Ordinal) || e.Kind.Contains("dead", StringComparison.Ordinal) || e.Error.Length > 0 || e.Code.Length > 0 ? Palette.Red
        : e.Kind.Contains("held", StringComparison.Ordinal) || e.Kind.Contains("hold", StringComparison.Ordinal) || e.Kind.Contains("retry", StringComparison.Ordinal)
            || e.Kind.Contains("overdue", StringComparison.Ordinal) || e.Kind.Contains("withdrawn", StringComparison.Ordinal) ? Palette.Yellow
        : e.Kind.Contains("consulted", StringComparison.Ordinal) ? Palette.Magenta
        : Palette.Green;

    private static string ColourOf(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered or DeliveryStatus.ClarificationAnswered => Palette.Green,
        DeliveryStatus.DeadLettered or DeliveryStatus.RefusedOnReview or DeliveryStatus.RefusedByRecipient => Palette.Red,
        _ => Palette.Yellow,
    };

    private static string Or(string value) => value.Length > 0 ? value : "-";
}
