using Interagency.V1;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

public sealed class DeliveryStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_next_message_of_a_case_is_claimed_once_the_earlier_one_is_delivered()
    {
        await using var temp = new TempStore();
        var first = StoreSamples.Message(null, "CASE-A");
        var second = StoreSamples.Message(null, "CASE-A");
        await temp.Store.AcceptAsync(first, default);
        await temp.Store.AcceptAsync(second, default);

        var claimed = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 1, [], default));
        Assert.Empty(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        await temp.Store.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.Delivered)], default);

        Assert.Equal(second.MessageId, Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery.MessageId);
    }

    [Fact]
    public async Task A_retry_is_claimed_when_its_time_comes_and_not_before()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        await temp.Store.AcceptAsync(StoreSamples.Message(), default);
        var claimed = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        var retryAt = clock.GetUtcNow().AddSeconds(10);
        await temp.Store.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.RetryLater, retryAt, "Unavailable")], default);

        Assert.Equal(retryAt, await temp.Store.NextRetryDueAsync(clock.GetUtcNow(), default));
        Assert.Empty(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        clock.Advance(TimeSpan.FromSeconds(10));
        var again = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal(2, again.Delivery.Attempts);
        Assert.Equal("Unavailable", again.Delivery.LastError);
    }

    [Fact]
    public async Task A_claim_takes_due_retries_and_pending_deliveries_oldest_first_and_steps_over_retries_not_yet_due()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var (soon, later, delivered) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-B"), StoreSamples.Message(null, "CASE-C"));
        foreach (var m in new[] { soon, later, delivered })
        {
            await temp.Store.AcceptAsync(m, default);
        }

        var attempts = (await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).ToDictionary(c => c.Delivery.MessageId, c => c.Delivery);
        await temp.Store.CompleteDeliveriesAsync("w", [
            new(attempts[soon.MessageId], DeliveryResolution.RetryLater, clock.GetUtcNow().AddSeconds(10), "Unavailable"),
            new(attempts[later.MessageId], DeliveryResolution.RetryLater, clock.GetUtcNow().AddSeconds(60), "Unavailable"),
            new(attempts[delivered.MessageId], DeliveryResolution.Delivered)], default);
        var fresh = StoreSamples.Message(null, "CASE-D");
        await temp.Store.AcceptAsync(fresh, default);
        clock.Advance(TimeSpan.FromSeconds(10));

        // The due retry is older than the new pending delivery, so a claim of one takes it; the retry not yet due is not taken.
        var first = await temp.Store.ClaimDeliveriesAsync("w", Lease, 1, [], default);
        Assert.Equal([soon.MessageId], first.Select(c => c.Delivery.MessageId));
        var second = await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default);
        Assert.Equal([fresh.MessageId], second.Select(c => c.Delivery.MessageId));
        await temp.Store.CompleteDeliveriesAsync("w", [.. first.Concat(second).Select(c => new DeliveryCompletion(c.Delivery, DeliveryResolution.Delivered))], default);
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal([later.MessageId], (await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Select(c => c.Delivery.MessageId));
    }

    [Fact]
    public async Task A_retry_given_back_unsent_waits_again_with_the_attempts_it_had_and_is_due_at_once()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        await temp.Store.AcceptAsync(StoreSamples.Message(), default);
        var first = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        await temp.Store.CompleteDeliveriesAsync("w", [new(first.Delivery, DeliveryResolution.RetryLater, clock.GetUtcNow().AddSeconds(10), "Unavailable")], default);
        clock.Advance(TimeSpan.FromSeconds(10));
        var retry = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal(2, retry.Delivery.Attempts);

        Assert.Equal(1, await temp.Store.ReleaseDeliveriesAsync("w", [retry.Delivery], default));

        var released = Assert.Single(await temp.Store.GetDeliveriesAsync(first.Delivery.MessageId, default));
        Assert.Equal((DeliveryState.RetryWait, 1), (released.State, released.Attempts));
        Assert.Equal(2, Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Delivery.Attempts);
    }

    [Fact]
    public async Task A_delivery_given_back_behind_a_failed_one_of_its_case_waits_for_that_ones_retry()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var (first, second) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-A"));
        await temp.Store.AcceptAsync(first, default);
        await temp.Store.AcceptAsync(second, default);
        var claimed = await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default);

        await temp.Store.CompleteDeliveriesAsync("w", [new(claimed[0].Delivery, DeliveryResolution.RetryLater, clock.GetUtcNow().AddSeconds(10), "Unavailable")], default);
        await temp.Store.ReleaseDeliveriesAsync("w", [claimed[1].Delivery], default);

        Assert.Empty(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([first.MessageId, second.MessageId], (await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default)).Select(c => c.Delivery.MessageId));
    }

    [Fact]
    public async Task A_dead_letter_whose_route_is_no_longer_agreed_is_not_replayed_and_the_refused_replay_is_audited()
    {
        await using var temp = new TempStore();
        await temp.Store.AcceptAsync(StoreSamples.Message(), default);
        var claimed = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        await temp.Store.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.DeadLettered, null, "Unavailable")], default);
        var id = claimed.Delivery.DeliveryId;

        var result = await temp.Store.ReplayDeadLettersAsync(new FixedRouteCheck(id), [id], null, "operator:duty", "endpoint fixed", default);

        Assert.Empty(result.Replayed);
        Assert.Equal([id], result.NotAgreed);
        Assert.Equal(id, Assert.Single(await temp.Store.ListDeadLettersAsync(new DeadLetterQuery(null, null, null), default)).Delivery.DeliveryId);
        var audit = Assert.Single(await temp.Store.ReadAuditAsync(default).ToListAsync(), a => a.Kind == AuditKinds.DeliveryReplayRefused);
        Assert.Equal(("operator:duty", id, "CN/FJPSD", "route_not_agreed"), (audit.Actor, audit.Details.Delivery, audit.Details.Recipient, audit.Details.Reason));
    }

    [Fact]
    public async Task A_dead_letter_is_listed_and_a_replay_makes_it_pending_again_with_fresh_attempts()
    {
        await using var temp = new TempStore();
        var message = StoreSamples.Message();
        await temp.Store.AcceptAsync(message, default);
        var claimed = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        await temp.Store.CompleteDeliveriesAsync("w", [new(claimed.Delivery, DeliveryResolution.DeadLettered, null, "Unavailable")], default);

        var dead = Assert.Single(await temp.Store.ListDeadLettersAsync(new DeadLetterQuery("CN/FJPSD", null, null), default));
        Assert.Equal(message.MessageId, dead.Delivery.MessageId);
        Assert.Equal("CN/PLO-RU", dead.Sender);
        Assert.Empty(await temp.Store.ListDeadLettersAsync(new DeadLetterQuery("RU/MVD", null, null), default));

        Assert.Equal([dead.Delivery.DeliveryId], (await temp.Store.ReplayDeadLettersAsync(FixedRouteCheck.AllAgreed, [], new DeadLetterQuery(null, "CN-FJ-2026-0042", null), "operator:duty", "endpoint fixed", default)).Replayed);
        Assert.Empty(await temp.Store.ListDeadLettersAsync(new DeadLetterQuery(null, null, null), default));
        var again = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.Equal(1, again.Delivery.Attempts);
        Assert.True(again.Delivery.Replayed);
        var audit = await temp.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Contains(audit, a => a.Kind == AuditKinds.DeliveryDeadLettered);
        Assert.Contains(audit, a => a.Kind == AuditKinds.DeliveryReplayed && a.Actor == "operator:duty" && a.Details.Justification?.Text == "endpoint fixed");
    }

    [Fact]
    public async Task A_store_reopened_after_a_crash_claims_what_was_in_flight_at_once()
    {
        await using var temp = new TempStore();
        await temp.Store.AcceptAsync(StoreSamples.Message(), default);
        Assert.Single(await temp.Store.ClaimDeliveriesAsync("crashed-worker", TimeSpan.FromHours(1), 10, [], default));

        await temp.ReopenAsync();

        Assert.Single(await temp.Store.ClaimDeliveriesAsync("new-worker", Lease, 10, [], default));
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_is_refused()
    {
        await using var temp = new TempStore();

        var error = Assert.Throws<InvalidOperationException>(() => temp.Open());
        Assert.Contains("in use by another gateway process", error.Message);
    }

    [Fact]
    public async Task A_release_resolves_the_hold_once_and_a_second_release_fails_its_precondition()
    {
        await using var temp = new TempStore();
        var referral = StoreSamples.Message() with { HoldReleaseParty = AgencyId.Parse("RU/MVD") };
        await temp.Store.AcceptAsync(referral, default);
        var claimed = Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 10, [], default));
        Assert.True(claimed.PrepareOnly);

        var release = Reply(MessageKind.HoldRelease, "RU/MVD", new MessageLink(LinkKind.ReleaseHold, referral.MessageId), "CN/FJPSD");
        var result = await temp.Store.AcceptAsync(release, default);
        Assert.True(result.Applied);
        var hold = await temp.Store.FindHoldAsync(referral.MessageId, default);
        Assert.Equal((HoldState.Released, release.MessageId), (hold!.State, hold.ResolvedBy));

        // Decided on the hold as read: the lifecycle refuses a release of a hold no longer open.
        var second = Reply(MessageKind.HoldRelease, "RU/MVD", new MessageLink(LinkKind.ReleaseHold, referral.MessageId), "CN/FJPSD");
        Assert.Equal("hold_not_open", (await temp.Store.AcceptAsync(second, default)).Refusal?.Reason);

        // Decided while the hold was open and applied after the first release: the store finds the hold resolved.
        var stale = IntakeLifecycle.Accept(second, new AnsweredMessage(false, false, HoldState.Open, [])).Changes!;
        Assert.Equal(new HoldOpen(referral.MessageId), (await temp.Store.AcceptAsync(stale, default)).Failed);
        Assert.Null(await temp.Store.FindMessageAsync(second.MessageId, default));
    }

    [Fact]
    public async Task A_withdrawal_withdraws_unattempted_deliveries_and_goes_to_the_agencies_that_may_have_the_request()
    {
        await using var temp = new TempStore();
        var request = StoreSamples.Message(null, "CASE-F", recipients: ["RU/MVD", "US/FBI"]) with { Kind = MessageKind.LocationRequest };
        await temp.Store.AcceptAsync(request, default);
        Assert.Single(await temp.Store.ClaimDeliveriesAsync("w", Lease, 1, [], default)); // RU/MVD attempted

        var withdrawal = Reply(MessageKind.Withdrawal, "CN/PLO-RU", new MessageLink(LinkKind.Withdraw, request.MessageId));
        var receipt = (await temp.Store.AcceptAsync(withdrawal, default)).Receipt!;

        Assert.Equal(["RU/MVD"], receipt.Recipients);
        var states = (await temp.Store.GetDeliveriesAsync(request.MessageId, default)).ToDictionary(d => d.Recipient, d => d.State);
        Assert.Equal(DeliveryState.Withdrawn, states["US/FBI"]);
        Assert.Equal(DeliveryState.InFlight, states["RU/MVD"]);

        var report = Reply(MessageKind.LocationReport, "RU/MVD", new MessageLink(LinkKind.Reply, request.MessageId), "CN/PLO-RU");
        Assert.Equal(MessageState.Late, (await temp.Store.AcceptAsync(report, default)).Receipt!.State);
        var again = Reply(MessageKind.Withdrawal, "CN/PLO-RU", new MessageLink(LinkKind.Withdraw, request.MessageId));
        Assert.Equal("request_already_withdrawn", (await temp.Store.AcceptAsync(again, default)).Refusal?.Reason);
        var stale = IntakeLifecycle.Accept(again, new AnsweredMessage(false, false, null, [])).Changes!;
        Assert.Equal(new RequestNotWithdrawn(request.MessageId), (await temp.Store.AcceptAsync(stale, default)).Failed);
    }

    [Fact]
    public async Task A_recipient_past_its_deadline_without_an_answer_is_raised_overdue_once_with_one_notice_to_the_sender()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var answered = StoreSamples.Request("CASE-A", clock.GetUtcNow().AddHours(1), "CN/FJPSD", "RU/MVD");
        var unanswered = StoreSamples.Request("CASE-B", clock.GetUtcNow().AddHours(1), "CN/FJPSD");
        await temp.Store.AcceptAsync(answered, default);
        await temp.Store.AcceptAsync(unanswered, default);
        await temp.Store.AcceptAsync(Reply(MessageKind.LocationReport, "CN/FJPSD", new MessageLink(LinkKind.Reply, answered.MessageId), "CN/PLO-RU") with { CaseReference = "CASE-A" }, default);

        Assert.Empty(await temp.Store.RaiseOverdueAsync(clock.GetUtcNow(), default));
        clock.Advance(TimeSpan.FromHours(1.5));
        Assert.Equal(
            new[] { (answered.MessageId, "RU/MVD"), (unanswered.MessageId, "CN/FJPSD") }.Order(),
            (await temp.Store.RaiseOverdueAsync(clock.GetUtcNow(), default)).Select(r => (r.MessageId, r.Recipient)).Order());
        Assert.Empty(await temp.Store.RaiseOverdueAsync(clock.GetUtcNow(), default));
        Assert.Equal(2, await temp.Store.ReadAuditAsync(default).CountAsync(a => a.Kind == AuditKinds.ReplyOverdue));
        var notices = await temp.Store.ReadAuditAsync(default).Where(a => a.Kind == AuditKinds.NoticeIssued).ToListAsync();
        Assert.Equal(2, notices.Count);
        foreach (var notice in notices)
        {
            var delivery = Assert.Single(await temp.Store.GetDeliveriesAsync(notice.MessageId, default));
            Assert.Equal(("CN/PLO-RU", DeliveryState.Pending), (delivery.Recipient, delivery.State));
        }
    }

    private static NewMessage Reply(MessageKind kind, string sender, MessageLink link, params string[] recipients) =>
        StoreSamples.Message(null, "CASE-F", recipients: recipients) with
        {
            Kind = kind,
            Sender = AgencyId.Parse(sender),
            Recipients = recipients.Select(AgencyId.Parse).ToArray(),
            Link = link,
        };
}
