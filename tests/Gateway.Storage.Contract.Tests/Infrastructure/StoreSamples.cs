using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>Messages as intake hands them to a store, varied only where a test needs it.</summary>
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
}
