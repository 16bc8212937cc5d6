namespace Gateway.Core.Audit;

/// <summary>The kinds of audit entry; stable strings, since they are hashed and read by operators.</summary>
public static class AuditKinds
{
    public const string MessageAccepted = "message.accepted";
    public const string MessageHeldForReview = "message.held_for_review";
    public const string DeliveryCreated = "delivery.created";
    public const string DeliveryClaimed = "delivery.claimed";
    public const string DeliveryDelivered = "delivery.delivered";
    public const string IntakeRefused = "intake.refused";
}
