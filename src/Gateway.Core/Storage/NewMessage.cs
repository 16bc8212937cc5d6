using Gateway.Core.Agencies;
using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>A message that passed intake, ready to be committed with its deliveries and audit records.</summary>
/// <param name="ContentHash">SHA-256 of kind and payload: what makes a replay "the same message".</param>
/// <param name="Payload">The request as received, in protobuf encoding.</param>
public sealed record NewMessage(
    string MessageId,
    MessageKind Kind,
    string CaseReference,
    AgencyId Sender,
    IReadOnlyList<AgencyId> Recipients,
    byte[] ContentHash,
    byte[] Payload,
    DateTimeOffset CreatedAt,
    MessageState State,
    DeliveryState InitialDeliveryState);
