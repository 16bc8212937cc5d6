using Interagency.V1;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>Messages held for human review: listed until a reviewer decides, then released for delivery or refused for good.</summary>
public sealed class ReviewStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_release_refuses_the_held_deliveries_whose_route_is_no_longer_agreed_and_says_so_in_the_audit()
    {
        await using var temp = new TempStore();
        var message = Held("CN/FJPSD", "RU/MVD");
        await temp.Store.AcceptAsync(message, default);
        var russia = (await temp.Store.GetDeliveriesAsync(message.MessageId, default)).Single(d => d.Recipient == "RU/MVD");

        var result = await temp.Store.ReviewHeldMessageAsync(
            new FixedRouteCheck(russia.DeliveryId), message.MessageId, ReviewDecision.Release, "operator:legal-1", "cleared", default);

        Assert.Equal(["CN/FJPSD"], result.Recipients);
        Assert.Equal(["RU/MVD"], result.NotAgreed);
        Assert.Equal(
            [("CN/FJPSD", DeliveryState.Pending), ("RU/MVD", DeliveryState.RefusedOnReview)],
            (await temp.Store.GetDeliveriesAsync(message.MessageId, default)).Select(d => (d.Recipient, d.State)));
        var audit = await temp.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(["CN/FJPSD"], Assert.Single(audit, a => a.Kind == AuditKinds.MessageReleasedOnReview).Details.Recipients);
        var refused = Assert.Single(audit, a => a.Kind == AuditKinds.MessageRefusedOnReview);
        Assert.Equal(["RU/MVD"], refused.Details.Recipients);
        Assert.Equal(("route_not_agreed", "operator:legal-1"), (refused.Details.Reason, refused.Actor));
    }

    [Fact]
    public async Task A_release_makes_every_held_delivery_pending_as_of_now_and_audits_the_reviewer_and_reason_once()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var message = Held("CN/FJPSD", "RU/MVD");
        await temp.Store.AcceptAsync(message, default);
        Assert.Empty(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        clock.Advance(TimeSpan.FromDays(10));

        var result = await temp.Store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, message.MessageId, ReviewDecision.Release, "operator:legal-1", "ordinary crime despite the label", default);

        Assert.Equal(ReviewStatus.Decided, result.Status);
        Assert.Equal(["CN/FJPSD", "RU/MVD"], result.Recipients);
        var claimed = await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default);
        Assert.Equal(["CN/FJPSD", "RU/MVD"], claimed.Select(c => c.Delivery.Recipient));

        // Its age for dead-lettering starts at the release, not at the acceptance ten days before.
        Assert.All(claimed, c => Assert.Equal(clock.GetUtcNow(), c.Delivery.CreatedAt));
        Assert.Empty(await temp.Store.ListHeldMessagesAsync(0, 10, default));
        var audit = Assert.Single(await temp.Store.ReadAuditAsync(default).ToListAsync(), a => a.Kind == AuditKinds.MessageReleasedOnReview);
        Assert.Equal(("operator:legal-1", message.MessageId), (audit.Actor, audit.MessageId));
        Assert.Equal(new AuditDetails { Recipients = ["CN/FJPSD", "RU/MVD"], Justification = SealedText.Clear("ordinary crime despite the label") }, audit.Details);
        Assert.Equal(MessageState.HeldForReview, (await temp.Store.FindMessageAsync(message.MessageId, default))!.Receipt.State);
    }

    [Fact]
    public async Task A_refusal_finishes_every_held_delivery_so_none_is_ever_claimed_and_a_second_decision_finds_nothing_held()
    {
        await using var temp = new TempStore();
        var message = Held("CN/FJPSD");
        await temp.Store.AcceptAsync(message, default);

        var refused = await temp.Store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, message.MessageId, ReviewDecision.Refuse, "operator:legal-1", "political persecution", default);
        var again = await temp.Store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, message.MessageId, ReviewDecision.Release, "operator:legal-2", "second opinion", default);

        Assert.Equal((ReviewStatus.Decided, "CN/FJPSD"), (refused.Status, Assert.Single(refused.Recipients)));
        Assert.Equal(ReviewStatus.NotHeld, again.Status);
        Assert.Equal(DeliveryState.RefusedOnReview, Assert.Single(await temp.Store.GetDeliveriesAsync(message.MessageId, default)).State);
        Assert.Empty(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Empty(await temp.Store.ListHeldMessagesAsync(0, 10, default));
        var audit = await temp.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Single(audit, a => a.Kind == AuditKinds.MessageRefusedOnReview && a.Actor == "operator:legal-1" && a.Details.Recipients!.SequenceEqual(["CN/FJPSD"]) && a.Details.Justification?.Text == "political persecution");
        Assert.DoesNotContain(audit, a => a.Kind == AuditKinds.MessageReleasedOnReview);
    }

    [Fact]
    public async Task A_decision_on_a_message_never_held_or_unknown_changes_nothing()
    {
        await using var temp = new TempStore();
        var ordinary = StoreSamples.Message();
        await temp.Store.AcceptAsync(ordinary, default);
        var auditBefore = (await temp.Store.ReadAuditAsync(default).ToListAsync()).Count;

        Assert.Equal(ReviewStatus.NotHeld, (await temp.Store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, ordinary.MessageId, ReviewDecision.Refuse, "operator:x", "r", default)).Status);
        Assert.Equal(ReviewStatus.NotFound, (await temp.Store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, Guid.NewGuid().ToString(), ReviewDecision.Release, "operator:x", "r", default)).Status);

        Assert.Equal(DeliveryState.Pending, Assert.Single(await temp.Store.GetDeliveriesAsync(ordinary.MessageId, default)).State);
        Assert.Equal(auditBefore, (await temp.Store.ReadAuditAsync(default).ToListAsync()).Count);
    }

    [Fact]
    public async Task A_held_message_does_not_keep_later_ones_of_its_case_waiting_and_once_released_goes_out_after_them()
    {
        await using var temp = new TempStore();
        var held = Held("CN/FJPSD");
        var later = StoreSamples.Message(null, held.CaseReference);
        await temp.Store.AcceptAsync(held, default);
        await temp.Store.AcceptAsync(later, default);

        var first = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal(later.MessageId, first.Delivery.MessageId);
        await temp.Store.CompleteDeliveriesAsync("w", [new(first.Delivery, DeliveryResolution.Delivered)], default);
        await temp.Store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, held.MessageId, ReviewDecision.Release, "operator:legal-1", "cleared", default);

        Assert.Equal(held.MessageId, Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery.MessageId);
    }

    [Fact]
    public async Task A_reviewed_release_survives_a_reopen_of_the_store()
    {
        await using var temp = new TempStore();
        var message = Held("CN/FJPSD");
        await temp.Store.AcceptAsync(message, default);
        await temp.Store.ReviewHeldMessageAsync(FixedRouteCheck.AllAgreed, message.MessageId, ReviewDecision.Release, "operator:legal-1", "cleared", default);

        await temp.ReopenAsync();

        Assert.Equal(message.MessageId, Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery.MessageId);
        Assert.Empty(await temp.Store.ListHeldMessagesAsync(0, 10, default));
    }

    [Fact]
    public async Task A_store_written_before_the_held_index_existed_gets_it_when_opened_and_lists_its_held_messages()
    {
        await using var temp = new TempStore();
        var message = Held("CN/FJPSD");
        await temp.Store.AcceptAsync(message, default);

        await temp.ReopenAsync(path =>
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP INDEX deliveries_held_for_review; DROP TABLE changelog;";
            drop.ExecuteNonQuery();
        });

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={temp.Path};Pooling=False"))
        {
            connection.Open();
            using var find = connection.CreateCommand();
            find.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'deliveries_held_for_review'";
            Assert.Equal(1L, find.ExecuteScalar());
        }

        Assert.Equal(message.MessageId, Assert.Single(await temp.Store.ListHeldMessagesAsync(0, 10, default)).Message.MessageId);
    }

    private static NewMessage Held(params string[] recipients) =>
        StoreSamples.Message(state: DeliveryState.HeldForReview, recipients: recipients) with { State = MessageState.HeldForReview };
}
