using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Messages;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Operations;

/// <summary>Translates between the operations messages and Core's dead letters, held messages, agencies and route agreements.</summary>
public static class OperationsWire
{
    private static readonly MessageKind[] AllKinds = System.Enum.GetValues<MessageKind>();

    /// <summary>The query of a filter; empty fields (or no filter) match everything.</summary>
    public static DeadLetterQuery ToQuery(DeadLetterFilter? filter) =>
        new(Nullify(filter?.Recipient), Nullify(filter?.CaseReference), Nullify(filter?.MessageId));

    public static Interagency.V1.DeadLetter ToWire(Core.Storage.DeadLetterRecord letter) =>
        new()
        {
            DeliveryId = letter.Delivery.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            MessageId = letter.Delivery.MessageId,
            Kind = letter.Kind.ToString(),
            CaseReference = letter.Delivery.CaseReference,
            Sender = letter.Sender,
            Recipient = letter.Delivery.Recipient,
            Attempts = (uint)letter.Delivery.Attempts,
            LastError = letter.Delivery.LastError ?? string.Empty,
            DeadLetteredAt = Timestamp.FromDateTimeOffset(letter.DeadLetteredAt),
        };

    /// <summary>The query of an overdue list's filter, from its first page; empty fields match everything.</summary>
    public static OverdueQuery ToQuery(ListOverdueRequest request) =>
        new(Nullify(request.Sender), Nullify(request.Recipient), DateTimeOffset.UnixEpoch, 0, OperationsGrpcService.DefaultPageSize);

    public static OverdueReply ToWire(OverdueReplyRecord overdue) =>
        new()
        {
            MessageId = overdue.MessageId,
            Kind = overdue.Kind.ToString(),
            CaseReference = overdue.CaseReference,
            Sender = overdue.Sender,
            Recipient = overdue.Recipient,
            ReplyDue = Timestamp.FromDateTimeOffset(overdue.Due),
            OverdueAt = Timestamp.FromDateTimeOffset(overdue.OverdueAt),
        };

    /// <summary>A held message with the request its sender submitted, for the reviewer to read.</summary>
    public static Interagency.V1.HeldMessage ToWire(Core.Storage.HeldMessageRecord held) =>
        new()
        {
            MessageId = held.Message.MessageId,
            Kind = held.Message.Kind.ToString(),
            CaseReference = held.Message.CaseReference,
            Sender = held.Message.Sender,
            Recipients = { held.HeldFor },
            AcceptedAt = Timestamp.FromDateTimeOffset(held.Message.Receipt.AcceptedAt),
            Content = ContentOf(held.Message),
        };

    /// <summary>The request a message's sender submitted, as stored, packed for an operator or a party to read.</summary>
    public static Any ContentOf(Core.Storage.StoredMessage message) =>
        Any.Pack(KindRequests.For(message.Kind).Parser.ParseFrom(message.Payload));

    /// <summary>An agency as configured; one that accepts every kind (none configured) lists them all.</summary>
    public static AgencyInfo ToWire(Agency agency) =>
        new()
        {
            Id = agency.Id.ToString(),
            Name = agency.Name,
            Kind = agency.Kind.ToString(),
            Endpoint = agency.Endpoint?.OriginalString ?? string.Empty,
            Accepts = { AllKinds.Where(agency.AcceptsKind).Select(k => k.ToString()) },
            CompetentFor = { agency.CompetentFor.Order().Select(k => k.ToString()) },
            PostedIn = agency.PostedIn ?? string.Empty,
        };

    public static RouteInfo ToWire(RouteAgreement agreement) =>
        new()
        {
            From = agreement.From.Text,
            To = agreement.To.Text,
            Kinds = { agreement.Kinds.Select(k => k.ToString()) },
            MaxHandling = HandlingCodes.Name(agreement.MaxHandling),
        };

    private static string? Nullify(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
