using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Tests.Lifecycle;

/// <summary>Every (delivery state, queue event) pair: claim, what a claim is sent as, release, and each outcome of an attempt.</summary>
public sealed class DeliveryLifecycleTests
{
    private const string Me = "worker-a";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset RetryAt = new(2026, 11, 27, 12, 0, 10, TimeSpan.Zero);

    public static TheoryData<DeliveryState, bool> ClaimByState => new()
    {
        { DeliveryState.Pending, true },
        { DeliveryState.RetryWait, true },
        { DeliveryState.InFlight, true },
        { DeliveryState.HeldForReview, false },
        { DeliveryState.Delivered, false },
        { DeliveryState.DeadLettered, false },
        { DeliveryState.Withdrawn, false },
        { DeliveryState.RefusedOnReview, false },
    };

    [Fact]
    public void Every_delivery_state_is_in_the_tables() =>
        Assert.Equal(Enum.GetValues<DeliveryState>().Order(), ClaimByState.Select(row => (DeliveryState)row[0]).Order());

    [Theory]
    [MemberData(nameof(ClaimByState))]
    public void A_claim_leases_a_due_delivery_with_one_attempt_more_if_it_is_still_as_read_and_refuses_any_other(DeliveryState state, bool claimed)
    {
        var delivery = Delivery(state, attempts: 2, owner: state == DeliveryState.InFlight ? "crashed-worker" : null);

        var changes = DeliveryLifecycle.Claim(delivery, Me, Lease);

        if (!claimed)
        {
            Assert.Null(changes);
            return;
        }

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryInState(7, state, 2)], changes.Preconditions);
        Assert.Equal([new LeaseDelivery(7, DeliveryState.InFlight, Me, Lease, 3)], changes.Rows);
        Assert.Empty(changes.Audit);
    }

    [Theory]
    [InlineData(null, MessageState.Accepted, false, false)]
    [InlineData(HoldState.Open, MessageState.Accepted, true, false)]
    [InlineData(HoldState.Released, MessageState.Accepted, false, false)]
    [InlineData(HoldState.Cancelled, MessageState.Accepted, false, false)]
    [InlineData(null, MessageState.Late, false, true)]
    [InlineData(HoldState.Open, MessageState.Late, true, true)]
    [InlineData(null, MessageState.HeldForReview, false, false)]
    public void A_claimed_delivery_is_prepare_only_while_its_hold_is_open_and_late_when_its_message_is(
        HoldState? hold, MessageState message, bool prepareOnly, bool late)
    {
        var until = RetryAt + Lease;
        var due = new DueDelivery(Delivery(DeliveryState.Pending, attempts: 0, owner: null), MessageKind.Referral, [1, 2], message, hold);

        var claimed = DeliveryLifecycle.Claimed(due, Me, until);

        Assert.Equal((prepareOnly, late), (claimed.PrepareOnly, claimed.Late));
        Assert.Equal((DeliveryState.InFlight, 1, Me, until), (claimed.Delivery.State, claimed.Delivery.Attempts, claimed.Delivery.LeaseOwner, claimed.Delivery.LeaseUntil));
        Assert.Equal(MessageKind.Referral, claimed.Kind);
        Assert.Equal([1, 2], claimed.Payload);
    }

    public static TheoryData<DeliveryState, string?, int, DeliveryState?> ReleaseTable()
    {
        var table = new TheoryData<DeliveryState, string?, int, DeliveryState?>
        {
            { DeliveryState.InFlight, Me, 1, DeliveryState.Pending },
            { DeliveryState.InFlight, Me, 3, DeliveryState.RetryWait },
            { DeliveryState.InFlight, "worker-b", 1, null },
            { DeliveryState.InFlight, Me, 0, null },
        };
        foreach (var state in Enum.GetValues<DeliveryState>().Where(s => s != DeliveryState.InFlight))
        {
            table.Add(state, null, 1, null);
        }

        return table;
    }

    [Theory]
    [MemberData(nameof(ReleaseTable))]
    public void A_release_gives_back_only_my_lease_taking_off_the_attempt_its_claim_counted(
        DeliveryState state, string? owner, int attempts, DeliveryState? after)
    {
        var changes = DeliveryLifecycle.Release(Delivery(state, attempts, owner), Me);

        if (after is null)
        {
            Assert.Null(changes);
            return;
        }

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryLeasedBy(7, Me, attempts)], changes.Preconditions);
        Assert.Equal([new ReturnDeliveryLease(7, after.Value, attempts - 1)], changes.Rows);
        Assert.Empty(changes.Audit);
    }

    public static TheoryData<DeliveryResolution, DeliveryState, string, bool> Outcomes => new()
    {
        { DeliveryResolution.Delivered, DeliveryState.Delivered, AuditKinds.DeliveryDelivered, true },
        { DeliveryResolution.DeliveredDuplicate, DeliveryState.Delivered, AuditKinds.DeliveryDuplicate, true },
        { DeliveryResolution.RetryLater, DeliveryState.RetryWait, AuditKinds.DeliveryRetry, false },
        { DeliveryResolution.DeadLettered, DeliveryState.DeadLettered, AuditKinds.DeliveryDeadLettered, true },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void An_outcome_of_my_attempt_ends_the_lease_in_its_state_and_is_audited_with_the_attempt(
        DeliveryResolution resolution, DeliveryState state, string kind, bool finished)
    {
        var retryAt = resolution == DeliveryResolution.RetryLater ? RetryAt : (DateTimeOffset?)null;
        var error = resolution is DeliveryResolution.RetryLater or DeliveryResolution.DeadLettered ? "Unavailable" : null;

        var changes = DeliveryLifecycle.Complete(Me, new DeliveryCompletion(Delivery(DeliveryState.InFlight, 2, Me), resolution, retryAt, error));

        Assert.NotNull(changes);
        Assert.Equal([new DeliveryLeasedBy(7, Me, 2)], changes.Preconditions);
        Assert.Equal([new RecordDeliveryAttempt(7, state, retryAt, error, finished)], changes.Rows);
        var entry = Assert.Single(changes.Audit);
        Assert.Equal((kind, Me, "message-1"), (entry.Kind, entry.Actor, entry.MessageId));
        Assert.Equal(new AuditDetails { Delivery = 7, Recipient = "CN/FJPSD", Attempt = 2, RetryAt = retryAt, Error = error }, entry.Details);
    }

    public static TheoryData<DeliveryResolution, DeliveryState, string?> RefusedOutcomes()
    {
        var table = new TheoryData<DeliveryResolution, DeliveryState, string?>();
        foreach (var resolution in Enum.GetValues<DeliveryResolution>())
        {
            table.Add(resolution, DeliveryState.InFlight, "worker-b");
            foreach (var state in Enum.GetValues<DeliveryState>().Where(s => s != DeliveryState.InFlight))
            {
                table.Add(resolution, state, null);
            }
        }

        return table;
    }

    [Theory]
    [MemberData(nameof(RefusedOutcomes))]
    public void An_outcome_for_a_delivery_not_leased_by_me_is_refused(DeliveryResolution resolution, DeliveryState state, string? owner) =>
        Assert.Null(DeliveryLifecycle.Complete(Me, new DeliveryCompletion(Delivery(state, 1, owner), resolution, RetryAt, "Unavailable")));

    private static DeliveryRecord Delivery(DeliveryState state, int attempts, string? owner) =>
        new(7, "message-1", "CN/FJPSD", "CN-FJ-2026-0042", state, attempts, owner, owner is null ? null : RetryAt);
}
