using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Core.Trace;

/// <summary>The state a lifecycle event leaves a delivery in, for a flow filtered by state.</summary>
public static class FlowStates
{
    /// <summary>The state the entry's kind leaves its delivery (or an accepted message's new deliveries) in; null for entries that change none.</summary>
    public static DeliveryState? LeftBy(string kind, AuditDetails details) => kind switch
    {
        AuditKinds.MessageAccepted => details.Deliveries ?? DeliveryState.Pending,
        AuditKinds.MessageHeldForReview => DeliveryState.HeldForReview,
        AuditKinds.MessageReleasedOnReview or AuditKinds.DeliveryReplayed => DeliveryState.Pending,
        AuditKinds.MessageRefusedOnReview => DeliveryState.RefusedOnReview,
        AuditKinds.DeliveryDelivered or AuditKinds.DeliveryDuplicate => DeliveryState.Delivered,
        AuditKinds.DeliveryRetry => DeliveryState.RetryWait,
        AuditKinds.DeliveryDeadLettered => DeliveryState.DeadLettered,
        AuditKinds.DeliveryWithdrawn => DeliveryState.Withdrawn,
        AuditKinds.DeliveryRefusedByRecipient => DeliveryState.RefusedByRecipient,
        AuditKinds.DeliveryClarificationRequested => DeliveryState.ClarificationRequested,
        AuditKinds.ClarificationAnswered => DeliveryState.ClarificationAnswered,
        _ => null,
    };
}
