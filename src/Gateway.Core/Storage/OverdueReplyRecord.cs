using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>A reply a recipient still owes past its deadline, as operators list it.</summary>
/// <param name="DeliveryId">The delivery of the request to that recipient: with <paramref name="Due"/>, the entry's place in the list.</param>
public sealed record OverdueReplyRecord(
    long DeliveryId,
    string MessageId,
    MessageKind Kind,
    string CaseReference,
    string Sender,
    string Recipient,
    DateTimeOffset Due,
    DateTimeOffset OverdueAt);
