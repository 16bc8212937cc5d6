using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Storage.Contract.Tests.Operations;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Contract.Tests.Trace;

/// <summary>
/// A message's trace as the store reads it: entries found through audit_by_message, refusals of ids never stored,
/// links; the flow of entries up to the durable sequence, and searches a bounded window at a time.
/// </summary>
public abstract class TraceContract : StoreContract
{
    [StoreFact]
    public async Task A_trace_holds_every_entry_about_the_message_in_order_its_deliveries_and_the_messages_that_link_to_it()
    {
        var (request, reply) = await StoreHistoryAsync();

        var trace = await Store.Trace().GetMessageTraceAsync(request.MessageId, default);

        Assert.NotNull(trace);
        Assert.Equal(
            [
                AuditKinds.MessageAccepted, AuditKinds.IntakeRefused, AuditKinds.DeliveryDelivered, AuditKinds.RequestAnswered,
                AuditKinds.ReplyOverdue, AuditKinds.NoticeIssued,
            ],
            trace.Events.Select(e => e.Kind));
        Assert.Equal(trace.Events.Select(e => e.Sequence).Order(), trace.Events.Select(e => e.Sequence));
        Assert.Equal(1500L, trace.Events[2].Details.DurationUs);
        var notice = trace.Events[5];
        Assert.Equal(request.MessageId, notice.Details.About);
        Assert.Equal([reply.MessageId, notice.MessageId], trace.LinkedFrom);

        var message = trace.Message!;
        Assert.Equal((request.MessageId, StoreSamples.Sender, (string?)null), (message.Message.MessageId, message.Message.Sender, message.LinksTo));
        Assert.Equal(
            [("RU/MVD", DeliveryState.Delivered, true, false), ("US/FBI", DeliveryState.Pending, false, true)],
            message.Deliveries.Select(d => (d.Delivery.Recipient, d.Delivery.State, d.FinishedAt is not null, d.ReplyDueAt is not null)));
        Assert.Equal(request.MessageId, (await Store.Trace().GetMessageTraceAsync(reply.MessageId, default))!.Message!.LinksTo);
        var found = await Store.Trace().FindTracedMessageAsync(request.MessageId, default);
        Assert.Equal(message.Deliveries.Select(d => d.Delivery.DeliveryId), found!.Deliveries.Select(d => d.Delivery.DeliveryId));
    }

    [StoreFact]
    public async Task An_id_only_refused_has_a_trace_without_a_message_and_an_id_never_seen_has_none()
    {
        var refused = Guid.NewGuid().ToString();
        await Store.Audit.AppendAsync([Refusal(refused)], default);

        var trace = await Store.Trace().GetMessageTraceAsync(refused, default);

        Assert.NotNull(trace);
        Assert.Null(trace.Message);
        Assert.Empty(trace.LinkedFrom);
        Assert.Equal((StoreSamples.Sender, "unknown_recipient"), (Assert.Single(trace.Events).Actor, trace.Events[0].Details.Reason));
        Assert.Null(await Store.Trace().GetMessageTraceAsync(Guid.NewGuid().ToString(), default));
        Assert.Null(await Store.Trace().FindTracedMessageAsync(refused, default));
    }

    [StoreFact]
    public async Task The_flow_reads_the_entries_that_name_a_message_up_to_the_durable_sequence_and_a_wait_ends_with_the_next_write()
    {
        var head = Store.Trace().DurableAuditSequence;
        var waiting = Store.Trace().WaitForAuditAfterAsync(head, default);
        Assert.False(waiting.IsCompleted);

        var message = StoreSamples.Message(recipients: ["CN/FJPSD", "CN/MPS"]);
        var accepted = (await Store.Intake.AcceptAsync(message, default)).Receipt!.AuditSequence;
        var call = await Store.Audit.AppendAsync(
            [new OperatorCallRecord("/interagency.v1.OperationsService/ListAgencies", "operator:duty-officer-1", "OK", string.Empty, string.Empty, []).ToAuditEntry()],
            default);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        await Store.Trace().WaitForAuditAfterAsync(call - 1, default).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(Store.Trace().DurableAuditSequence >= call);
        var flow = Assert.Single(await Store.Trace().ReadFlowAsync(head, Store.Trace().DurableAuditSequence, 10, default));
        Assert.Equal((accepted, message.MessageId, AuditKinds.MessageAccepted), (flow.Entry.Sequence, flow.Entry.MessageId, flow.Entry.Kind));
        Assert.Equal((MessageKind.Referral, "CN-FJ-2026-0042", StoreSamples.Sender), (flow.Message!.Kind, flow.Message.CaseReference, flow.Message.Sender));
        Assert.Equal(["CN/FJPSD", "CN/MPS"], flow.Message.Recipients);
        Assert.Empty(await Store.Trace().ReadFlowAsync(head, accepted - 1, 10, default));
    }

    [StoreFact]
    public async Task A_search_whose_filter_no_index_serves_examines_a_bounded_window_and_says_where_to_go_on()
    {
        var messages = new List<NewMessage>();
        for (var i = 0; i < 7; i++)
        {
            var message = StoreSamples.Message(null, $"CASE-S{i}", recipients: [i % 3 == 0 ? "CN/MPS" : "CN/FJPSD"]);
            Assert.True((await Store.Intake.AcceptAsync(message, default)).Applied);
            messages.Add(message);
        }

        var pages = new List<MessageSearchPage>();
        var search = new MessageSearch(null, null, "CN/MPS", null, null, null, null, null, NewestFirst: true, After: 0, Limit: 10, Examine: 2);
        do
        {
            pages.Add(await Store.Trace().SearchMessagesAsync(search, default));
            search = search with { After = pages[^1].ContinueAfter ?? 0 };
        }
        while (pages[^1].ContinueAfter is not null && pages.Count < 10);

        // Rows 7..6, 5..4, 3..2, 1: each page examines two, the last one what is left.
        Assert.Equal([1, 1, 0, 1], pages.Select(p => p.Messages.Count));
        Assert.Equal(
            [messages[6].MessageId, messages[3].MessageId, messages[0].MessageId],
            pages.SelectMany(p => p.Messages).Select(m => m.Message.MessageId));
        var byCase = await Store.Trace().SearchMessagesAsync(search with { Recipient = null, CaseReference = "CASE-S4", After = 0 }, default);
        Assert.Equal([messages[4].MessageId], byCase.Messages.Select(m => m.Message.MessageId));
        Assert.Null(byCase.ContinueAfter);
    }

    [StoreFact]
    public async Task A_search_filters_by_sender_kind_state_time_and_viewer_oldest_first_with_each_messages_deliveries()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var referral = StoreSamples.Message(recipients: ["CN/FJPSD", "RU/MVD"]);
        var held = StoreSamples.Message(state: DeliveryState.HeldForReview, recipients: ["US/FBI"]);
        var request = StoreSamples.Request("CASE-Q", DateTimeOffset.UtcNow.AddHours(1), "RU/MVD") with { Sender = AgencyId.Parse("CN/MPS") };
        foreach (var message in new[] { referral, held, request })
        {
            Assert.True((await Store.Intake.AcceptAsync(message, default)).Applied);
        }

        var all = new MessageSearch(null, null, null, null, null, null, null, null, NewestFirst: false, After: 0, Limit: 10, Examine: 100);

        async Task<string[]> Ids(MessageSearch search) =>
            [.. (await Store.Trace().SearchMessagesAsync(search, default)).Messages.Select(m => m.Message.MessageId)];

        Assert.Equal([referral.MessageId, held.MessageId, request.MessageId], await Ids(all));
        Assert.Equal([request.MessageId], await Ids(all with { Sender = "CN/MPS" }));
        Assert.Equal([request.MessageId], await Ids(all with { Kind = MessageKind.LocationRequest }));
        Assert.Equal([held.MessageId], await Ids(all with { State = DeliveryState.HeldForReview }));
        Assert.Equal([referral.MessageId, request.MessageId], await Ids(all with { VisibleTo = "RU/MVD" }));
        Assert.Equal([request.MessageId], await Ids(all with { VisibleTo = "CN/MPS" }));
        Assert.Empty(await Ids(all with { AcceptedUntil = before }));
        Assert.Equal(3, (await Ids(all with { AcceptedFrom = before })).Length);
        var page = await Store.Trace().SearchMessagesAsync(all with { Limit = 1 }, default);
        Assert.Equal(["CN/FJPSD", "RU/MVD"], Assert.Single(page.Messages).Recipients);
        Assert.Equal(page.Messages[0].Position, page.ContinueAfter);
    }

    /// <summary>
    /// A request to RU/MVD and US/FBI, a refusal of a resubmission of its id, its delivery to RU/MVD (1.5 ms), RU/MVD's
    /// reply, and US/FBI's reply raised overdue with a notice to the sender; another message in between.
    /// </summary>
    private async Task<(NewMessage Request, NewMessage Reply)> StoreHistoryAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var request = StoreSamples.Request("CASE-TRACE", now.AddHours(1), "RU/MVD", "US/FBI");
        Assert.True((await Store.Intake.AcceptAsync(request, default)).Applied);
        Assert.True((await Store.Intake.AcceptAsync(StoreSamples.Message(recipients: ["CN/FJPSD"]), default)).Applied);
        await Store.Audit.AppendAsync([Refusal(request.MessageId)], default);
        await StoreHistory.FinishDeliveryAsync(Store, request.MessageId, "RU/MVD", DeliveryState.Delivered, AuditKinds.DeliveryDelivered, 1500);
        var reply = StoreSamples.Message(null, "CASE-TRACE", recipients: [StoreSamples.Sender]) with
        {
            Kind = MessageKind.LocationReport,
            Sender = AgencyId.Parse("RU/MVD"),
            Link = new MessageLink(LinkKind.Reply, request.MessageId),
        };
        Assert.True((await Store.Intake.AcceptAsync(reply, default)).Applied);
        var later = now.AddHours(2);
        var raised = await StoreHistory.RaiseOverdueAsync(Store, await Store.Operations().FindRepliesDueAsync(later, default), later);
        Assert.Equal("US/FBI", Assert.Single(raised).Reply.Recipient);
        return (request, reply);
    }

    private static AuditEntry Refusal(string messageId) =>
        new RefusalRecord("/interagency.v1.FugitiveService/RequestLocation", StoreSamples.Sender, messageId, "NotFound", "unknown_recipient", ["header.recipients[0]"])
            .ToAuditEntry();
}

public sealed class SqliteTraceTests : TraceContract
{
    protected override Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => Task.FromResult<StoreUnderTest>(new SqliteStoreUnderTest(keys));
}

[RequiresPostgres]
public sealed class PostgresTraceTests : TraceContract
{
    protected override async Task<StoreUnderTest> OpenAsync(DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);
}
