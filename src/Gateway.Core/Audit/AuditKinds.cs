namespace Gateway.Core.Audit;

/// <summary>The kinds of audit entry; stable strings, since they are hashed and read by operators.</summary>
public static class AuditKinds
{
    public const string MessageAccepted = "message.accepted";
    public const string MessageHeldForReview = "message.held_for_review";
    public const string MessageReleasedOnReview = "message.review_released";
    public const string MessageRefusedOnReview = "message.review_refused";
    public const string MessageConsulted = "message.consulted";
    public const string DeliveryDelivered = "delivery.delivered";
    public const string DeliveryDuplicate = "delivery.duplicate";
    public const string DeliveryRetry = "delivery.retry";
    public const string DeliveryDeadLettered = "delivery.dead_lettered";
    public const string DeliveryReplayed = "delivery.replayed";
    public const string DeliveryWithdrawn = "delivery.withdrawn";
    public const string HoldReleased = "hold.released";
    public const string HoldCancelled = "hold.cancelled";
    public const string RequestWithdrawn = "request.withdrawn";
    public const string RequestAnswered = "request.answered";
    public const string ReplyOverdue = "reply.overdue";
    public const string IntakeRefused = "intake.refused";
    public const string IntakeRefusalsSuppressed = "intake.refusals_suppressed";
    public const string OperatorCall = "operator.call";
    public const string DirectoryLoaded = "directory.loaded";
    public const string NoticeIssued = "notice.issued";
    public const string DeliveryRefusedByRecipient = "delivery.refused_by_recipient";
    public const string DeliveryClarificationRequested = "delivery.clarification_requested";
    public const string ClarificationAnswered = "clarification.answered";
    public const string DeliveryReplayRefused = "delivery.replay_refused";
}
