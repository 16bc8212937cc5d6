using Gateway.Core.Audit;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Trace;

/// <summary>Messages, deliveries and audit entries as TraceService shows them: ids, kinds, agencies, times, states and codes.</summary>
public static class TraceWire
{
    public static MessageSummary ToSummary(TracedMessage traced)
    {
        var message = traced.Message;
        return new MessageSummary
        {
            MessageId = message.MessageId,
            Kind = message.Kind.ToString(),
            CaseReference = message.CaseReference,
            CaseOwner = message.CaseOwner ?? string.Empty,
            Sender = message.Sender,
            Recipients = { message.Receipt.Recipients },
            AcceptedAt = Timestamp.FromDateTimeOffset(message.Receipt.AcceptedAt),
            AcceptedSequence = (ulong)message.Receipt.AuditSequence,
            LinksTo = traced.LinksTo ?? string.Empty,
            TraceId = TraceIdOf(message.TraceParent),
        };
    }

    /// <summary>The trace id of a stored W3C traceparent, or empty when there is none or it does not parse.</summary>
    public static string TraceIdOf(string? traceParent) =>
        traceParent is not null && System.Diagnostics.ActivityContext.TryParse(traceParent, null, out var context)
            ? context.TraceId.ToHexString()
            : string.Empty;

    public static DeliveryTrace ToWire(DeliveryTraceRecord record)
    {
        var delivery = record.Delivery;
        var wire = new DeliveryTrace
        {
            DeliveryId = delivery.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Recipient = delivery.Recipient,
            Status = ToStatus(delivery.State),
            Attempts = (uint)delivery.Attempts,
            LastError = delivery.LastError ?? string.Empty,
        };
        if (delivery.State is DeliveryState.Pending or DeliveryState.RetryWait)
        {
            wire.NextAttemptAt = Timestamp.FromDateTimeOffset(record.NextAttemptAt);
        }

        if (record.FinishedAt is { } finished)
        {
            wire.FinishedAt = Timestamp.FromDateTimeOffset(finished);
        }

        if (record.ReplyDueAt is { } due)
        {
            wire.ReplyDueAt = Timestamp.FromDateTimeOffset(due);
        }

        return wire;
    }

    /// <summary>
    /// One audit entry as an event. A notice's entry, filed under the message it is about, names that message and the
    /// notice as the related one; every other entry names its own message and the one that caused it (<c>by</c>).
    /// </summary>
    public static TraceEvent ToEvent(AuditRecord record)
    {
        var details = record.Details;
        var notice = record.Kind == AuditKinds.NoticeIssued && details.About is not null;
        var wire = new TraceEvent
        {
            Sequence = (ulong)record.Sequence,
            At = Timestamp.FromDateTimeOffset(record.At),
            Kind = record.Kind,
            Actor = record.Actor,
            MessageId = notice ? details.About! : record.MessageId,
            RelatedMessageId = notice ? record.MessageId : details.By ?? details.About ?? string.Empty,
            DeliveryId = details.Delivery?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            Recipient = details.Recipient ?? string.Empty,
            Attempt = (uint)(details.Attempt ?? 0),
            Error = details.Error ?? string.Empty,
            Reason = details.Reason ?? string.Empty,
            Code = details.Code ?? string.Empty,
            FieldPaths = { details.Fields ?? [] },
            Justification = details.Justification?.Shown ?? string.Empty,
            Via = details.Via ?? string.Empty,
            Routes = { (details.Routes ?? []).Select(ToWire) },
        };
        if (details.DurationUs is { } duration)
        {
            wire.Duration = Duration.FromTimeSpan(TimeSpan.FromMicroseconds(duration));
        }

        if (details.RetryAt is { } retryAt)
        {
            wire.RetryAt = Timestamp.FromDateTimeOffset(retryAt);
        }

        return wire;
    }

    public static RouteExplanation ToWire(AuditRoute route) =>
        new()
        {
            Recipient = route.Recipient,
            Reason = route.Reason switch
            {
                RouteReasons.NamedAgency => RouteReason.NamedAgency,
                RouteReasons.CompetentAgency => RouteReason.CompetentAgency,
                RouteReasons.LiaisonOffice => RouteReason.LiaisonOffice,
                RouteReasons.InterpolNcb => RouteReason.InterpolNcb,
                RouteReasons.CaseParty => RouteReason.CaseParty,
                RouteReasons.Reply => RouteReason.Reply,
                RouteReasons.SinglePointOfContact => RouteReason.SinglePointOfContact,
                RouteReasons.GatewayNotice => RouteReason.GatewayNotice,
                _ => RouteReason.Unspecified,
            },
            Addressed = route.Addressed ?? string.Empty,
            Agreement = route.Agreement ?? string.Empty,
        };

    /// <summary>The stored state a status filter asks for; null for no filter.</summary>
    public static DeliveryState? ToState(DeliveryStatus status) =>
        System.Enum.GetValues<DeliveryState>().Where(s => ToStatus(s) == status && status != DeliveryStatus.Unspecified).Select(s => (DeliveryState?)s).FirstOrDefault();

    public static DeliveryStatus ToStatus(DeliveryState state) => state switch
    {
        DeliveryState.Pending => DeliveryStatus.Pending,
        DeliveryState.InFlight => DeliveryStatus.InFlight,
        DeliveryState.Delivered => DeliveryStatus.Delivered,
        DeliveryState.RetryWait => DeliveryStatus.RetryWait,
        DeliveryState.DeadLettered => DeliveryStatus.DeadLettered,
        DeliveryState.Withdrawn => DeliveryStatus.Withdrawn,
        DeliveryState.HeldForReview => DeliveryStatus.HeldForReview,
        DeliveryState.RefusedOnReview => DeliveryStatus.RefusedOnReview,
        DeliveryState.RefusedByRecipient => DeliveryStatus.RefusedByRecipient,
        DeliveryState.ClarificationRequested => DeliveryStatus.ClarificationRequested,
        DeliveryState.ClarificationAnswered => DeliveryStatus.ClarificationAnswered,
        _ => DeliveryStatus.Unspecified,
    };
}
