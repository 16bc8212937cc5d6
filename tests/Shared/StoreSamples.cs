using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Tests.Shared;

/// <summary>Messages as intake hands them to a store, varied only where a test needs it; for the stores' own tests.</summary>
public static class StoreSamples
{
    public const string Sender = "CN/PLO-RU";

    public static NewMessage Message(string? id = null, byte content = 1, DeliveryState state = DeliveryState.Pending, params string[] recipients) =>
        Message(id, "CN-FJ-2026-0042", content, state, recipients);

    public static NewMessage Message(string? id, string caseReference, byte content = 1, DeliveryState state = DeliveryState.Pending, params string[] recipients) =>
        new(
            id ?? Guid.NewGuid().ToString(),
            MessageKind.Referral,
            caseReference,
            AgencyId.Parse(Sender),
            (recipients.Length == 0 ? ["CN/FJPSD"] : recipients).Select(AgencyId.Parse).ToArray(),
            [content, 2, 3],
            [content],
            DateTimeOffset.UtcNow,
            MessageState.Accepted,
            state);

    /// <summary>
    /// A location request from CN/PLO-RU stored as the gateway stores one (its payload the request with its header, which
    /// an overdue notice is made from), awaiting each recipient's reply by <paramref name="due"/>.
    /// </summary>
    public static NewMessage Request(string caseReference, DateTimeOffset due, params string[] recipients)
    {
        var request = Samples.LocationRequest("RU");
        request.Header.Sender = Sender;
        request.Header.CaseReference = caseReference;
        return Message(request.Header.MessageId, caseReference, recipients: recipients) with
        {
            Kind = MessageKind.LocationRequest,
            Payload = Google.Protobuf.MessageExtensions.ToByteArray(request),
            ReplyDue = due,
        };
    }
}
