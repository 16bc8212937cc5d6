using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Storage.Contract.Tests.Trace;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Storage.Contract.Tests.Operations;

/// <summary>
/// What duty operators and reviewers read: held messages, dead letters, deliveries by id or message, replies due and
/// overdue. The rows the delivery slice's outcomes write (dead letters, review decisions) are set behind the store.
/// </summary>
public abstract class OperationsQueriesContract : StoreContract
{
    [StoreFact]
    public async Task Held_messages_are_listed_in_order_of_acceptance_with_their_held_recipients_and_paged_by_position()
    {
        var first = Held("CN/FJPSD", "RU/MVD");
        var ordinary = StoreSamples.Message();
        var second = Held("US/FBI");
        foreach (var message in new[] { first, ordinary, second })
        {
            await Store.Intake.AcceptAsync(message, default);
        }

        var all = await Store.Operations().ListHeldMessagesAsync(0, 10, default);

        Assert.Equal([first.MessageId, second.MessageId], all.Select(h => h.Message.MessageId));
        Assert.Equal(["CN/FJPSD", "RU/MVD"], all[0].HeldFor);
        Assert.Equal(first.Payload, all[0].Message.Payload);
        Assert.Equal(MessageState.HeldForReview, all[0].Message.Receipt.State);
        Assert.Equal([first.MessageId], (await Store.Operations().ListHeldMessagesAsync(0, 1, default)).Select(h => h.Message.MessageId));
        Assert.Equal([second.MessageId], (await Store.Operations().ListHeldMessagesAsync(all[0].Position, 10, default)).Select(h => h.Message.MessageId));
    }

    [StoreFact]
    public async Task The_watcher_is_not_given_a_deadline_whose_delivery_is_held_for_review_or_was_refused_on_review()
    {
        var now = DateTimeOffset.UtcNow;
        var held = StoreSamples.Request("CASE-H", now.AddHours(1), "RU/MVD", "US/FBI") with
        {
            State = MessageState.HeldForReview,
            InitialDeliveryState = DeliveryState.HeldForReview,
        };
        await Store.Intake.AcceptAsync(held, default);
        var deliveries = await Store.Intake.GetDeliveriesAsync(held.MessageId, default);

        Assert.Empty(await Store.Operations().FindRepliesDueAsync(now.AddHours(2), default));

        await Store.ExecuteBehindTheStoreAsync(
            $"""
            UPDATE deliveries SET state = {(int)DeliveryState.RefusedOnReview} WHERE delivery_id = {deliveries[0].DeliveryId};
            UPDATE deliveries SET state = {(int)DeliveryState.Pending} WHERE delivery_id = {deliveries[1].DeliveryId};
            """);

        var due = Assert.Single(await Store.Operations().FindRepliesDueAsync(now.AddHours(2), default));
        Assert.Equal((held.MessageId, "US/FBI", StoreSamples.Sender, false, false), (due.MessageId, due.Recipient, due.Sender, due.Closed, due.Overdue));
        Assert.Equal((held.Kind, held.TraceParent), (due.Kind, due.TraceParent));
        Assert.Equal(held.Payload, due.Payload);
        Assert.Empty(await Store.Operations().FindRepliesDueAsync(now.AddMinutes(30), default));
    }

    [StoreFact]
    public async Task A_request_awaiting_a_reply_is_found_due_with_its_trace_context_for_its_overdue_notice()
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var due = DateTimeOffset.UtcNow.AddHours(1);
        var request = StoreSamples.Request("CASE-T", due, "RU/MVD") with { TraceParent = traceParent };
        await Store.Intake.AcceptAsync(request, default);

        var reply = Assert.Single(await Store.Operations().FindRepliesDueAsync(due.AddSeconds(1), default));

        Assert.Equal((request.MessageId, traceParent), (reply.MessageId, reply.TraceParent));
        Assert.Equal(AuditChain.FromMicroseconds(AuditChain.ToMicroseconds(due)), reply.Due);
    }

    [StoreFact]
    public async Task Overdue_replies_are_listed_most_overdue_first_page_after_page_and_by_sender_and_recipient()
    {
        var now = DateTimeOffset.UtcNow;
        var later = StoreSamples.Request("CASE-2", now.AddHours(2), "RU/MVD");
        var earlier = StoreSamples.Request("CASE-1", now.AddHours(1), "RU/MVD", "US/FBI");
        var other = StoreSamples.Request("CASE-3", now.AddHours(3), "US/FBI") with { Sender = Core.Agencies.AgencyId.Parse("CN/MPS") };
        foreach (var request in new[] { later, earlier, other })
        {
            await Store.Intake.AcceptAsync(request, default);
        }

        var raisedAt = now.AddHours(4);
        var raised = await StoreHistory.RaiseOverdueAsync(Store, await Store.Operations().FindRepliesDueAsync(raisedAt, default), raisedAt);

        var first = await Store.Operations().ListOverdueAsync(new OverdueQuery(null, null, DateTimeOffset.UnixEpoch, 0, 2), default);
        var last = first[^1];
        var second = await Store.Operations().ListOverdueAsync(new OverdueQuery(null, null, last.Due, last.DeliveryId, 2), default);

        Assert.Equal(
            [(earlier.MessageId, "RU/MVD"), (earlier.MessageId, "US/FBI"), (later.MessageId, "RU/MVD"), (other.MessageId, "US/FBI")],
            first.Concat(second).Select(o => (o.MessageId, o.Recipient)));
        Assert.Equal(
            raised.Select(r => (r.Reply.MessageId, r.Reply.Recipient, r.At)).Order(),
            first.Concat(second).Select(o => (o.MessageId, o.Recipient, o.OverdueAt)).Order());
        Assert.Equal(
            [earlier.MessageId, other.MessageId],
            (await Store.Operations().ListOverdueAsync(new OverdueQuery(null, "US/FBI", DateTimeOffset.UnixEpoch, 0, 10), default)).Select(o => o.MessageId));
        Assert.Equal(
            [other.MessageId],
            (await Store.Operations().ListOverdueAsync(new OverdueQuery("CN/MPS", null, DateTimeOffset.UnixEpoch, 0, 10), default)).Select(o => o.MessageId));
        Assert.Empty(await Store.Operations().FindRepliesDueAsync(raisedAt, default));
    }

    [StoreFact]
    public async Task Dead_letters_are_listed_by_recipient_case_and_message_and_paged_by_delivery_id()
    {
        var one = StoreSamples.Message(null, "CASE-D1", recipients: ["CN/FJPSD", "RU/MVD"]);
        var two = StoreSamples.Message(null, "CASE-D2", recipients: ["CN/FJPSD"]);
        foreach (var message in new[] { one, two })
        {
            await Store.Intake.AcceptAsync(message, default);
        }

        await StoreHistory.FinishDeliveryAsync(Store, one.MessageId, "CN/FJPSD", DeliveryState.DeadLettered, AuditKinds.DeliveryDeadLettered, 10);
        await StoreHistory.FinishDeliveryAsync(Store, two.MessageId, "CN/FJPSD", DeliveryState.DeadLettered, AuditKinds.DeliveryDeadLettered, 10);

        async Task<(string, string)[]> List(DeadLetterQuery query) =>
            [.. (await Store.Operations().ListDeadLettersAsync(query, default)).Select(d => (d.Delivery.MessageId, d.Delivery.Recipient))];

        var all = await Store.Operations().ListDeadLettersAsync(new DeadLetterQuery(null, null, null), default);
        Assert.Equal([(one.MessageId, "CN/FJPSD"), (two.MessageId, "CN/FJPSD")], all.Select(d => (d.Delivery.MessageId, d.Delivery.Recipient)));
        Assert.All(all, d => Assert.Equal(
            (Gateway.Core.Intake.MessageKind.Referral, StoreSamples.Sender, StoreHistory.FinishedAt, DeliveryState.DeadLettered, 1),
            (d.Kind, d.Sender, d.DeadLetteredAt, d.Delivery.State, d.Delivery.Attempts)));
        Assert.Empty(await List(new DeadLetterQuery("RU/MVD", null, null)));
        Assert.Equal([(two.MessageId, "CN/FJPSD")], await List(new DeadLetterQuery("CN/FJPSD", "CASE-D2", null)));
        Assert.Equal([(one.MessageId, "CN/FJPSD")], await List(new DeadLetterQuery(null, null, one.MessageId)));
        Assert.Equal([(one.MessageId, "CN/FJPSD")], await List(new DeadLetterQuery(null, null, null, Limit: 1)));
        Assert.Equal([(two.MessageId, "CN/FJPSD")], await List(new DeadLetterQuery(null, null, null, AfterDeliveryId: all[0].Delivery.DeliveryId)));
    }

    [StoreFact]
    public async Task Deliveries_are_found_by_id_in_id_order_and_by_message_or_not_at_all_for_an_unknown_one()
    {
        var message = StoreSamples.Message(recipients: ["CN/FJPSD", "RU/MVD", "US/FBI"]);
        await Store.Intake.AcceptAsync(message, default);
        var deliveries = await Store.Intake.GetDeliveriesAsync(message.MessageId, default);

        var found = await Store.Operations().GetDeliveriesByIdAsync([deliveries[2].DeliveryId, deliveries[0].DeliveryId, 999_999], default);

        Assert.Equal([deliveries[0].DeliveryId, deliveries[2].DeliveryId], found.Select(d => d.DeliveryId));
        Assert.Equal(["CN/FJPSD", "US/FBI"], found.Select(d => d.Recipient));
        Assert.Equal(deliveries.Select(d => d.DeliveryId), (await Store.Operations().FindDeliveriesOfMessageAsync(message.MessageId, default))!.Select(d => d.DeliveryId));
        Assert.Null(await Store.Operations().FindDeliveriesOfMessageAsync(Guid.NewGuid().ToString(), default));
        Assert.Empty(await Store.Operations().GetDeliveriesByIdAsync([], default));
    }

    private static Core.Storage.NewMessage Held(params string[] recipients) =>
        StoreSamples.Message(state: DeliveryState.HeldForReview, recipients: recipients) with { State = MessageState.HeldForReview };
}

public sealed class SqliteOperationsQueriesTests : OperationsQueriesContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresOperationsQueriesTests : OperationsQueriesContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
