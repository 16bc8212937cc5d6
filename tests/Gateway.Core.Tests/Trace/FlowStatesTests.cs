using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.Core.Trace;

namespace Gateway.Core.Tests.Trace;

/// <summary>The state each lifecycle event leaves a delivery in, which a flow filtered by state matches.</summary>
public class FlowStatesTests
{
    [Theory]
    [InlineData(AuditKinds.MessageHeldForReview, DeliveryState.HeldForReview)]
    [InlineData(AuditKinds.MessageReleasedOnReview, DeliveryState.Pending)]
    [InlineData(AuditKinds.MessageRefusedOnReview, DeliveryState.RefusedOnReview)]
    [InlineData(AuditKinds.DeliveryDelivered, DeliveryState.Delivered)]
    [InlineData(AuditKinds.DeliveryDuplicate, DeliveryState.Delivered)]
    [InlineData(AuditKinds.DeliveryRetry, DeliveryState.RetryWait)]
    [InlineData(AuditKinds.DeliveryDeadLettered, DeliveryState.DeadLettered)]
    [InlineData(AuditKinds.DeliveryReplayed, DeliveryState.Pending)]
    [InlineData(AuditKinds.DeliveryWithdrawn, DeliveryState.Withdrawn)]
    [InlineData(AuditKinds.DeliveryRefusedByRecipient, DeliveryState.RefusedByRecipient)]
    [InlineData(AuditKinds.DeliveryClarificationRequested, DeliveryState.ClarificationRequested)]
    [InlineData(AuditKinds.ClarificationAnswered, DeliveryState.ClarificationAnswered)]
    public void A_transition_leaves_its_delivery_in_its_state(string kind, DeliveryState state)
    {
        Assert.Equal(state, FlowStates.LeftBy(kind, new AuditDetails()));
    }

    [Fact]
    public void An_acceptance_leaves_new_deliveries_in_the_state_it_records_them_in()
    {
        Assert.Equal(DeliveryState.Pending, FlowStates.LeftBy(AuditKinds.MessageAccepted, new AuditDetails { Deliveries = DeliveryState.Pending }));
        Assert.Equal(DeliveryState.Pending, FlowStates.LeftBy(AuditKinds.MessageAccepted, new AuditDetails()));
    }

    [Theory]
    [InlineData(AuditKinds.HoldReleased)]
    [InlineData(AuditKinds.RequestAnswered)]
    [InlineData(AuditKinds.MessageConsulted)]
    [InlineData(AuditKinds.IntakeRefused)]
    [InlineData(AuditKinds.NoticeIssued)]
    public void An_event_that_changes_no_delivery_leaves_no_state(string kind)
    {
        Assert.Null(FlowStates.LeftBy(kind, new AuditDetails()));
    }
}
