using Gateway.Core.Intake;

namespace Gateway.Core.Storage;

/// <summary>A dead-lettered delivery, with what an operator needs to decide on a replay.</summary>
public sealed record DeadLetterRecord(DeliveryRecord Delivery, MessageKind Kind, string Sender, DateTimeOffset DeadLetteredAt);
