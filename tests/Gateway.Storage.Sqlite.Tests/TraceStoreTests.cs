using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>A message's trace as the store reads it: entries found through audit_by_message, refusals of ids never stored, links.</summary>
public sealed class TraceStoreTests
{
    private const string Worker = "trace-tests";

    [Fact]
    public async Task A_trace_holds_every_entry_about_the_message_in_order_its_deliveries_and_the_messages_that_link_to_it()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var (request, reply) = await StoreHistoryAsync(temp, clock);

        var trace = await temp.Store.GetMessageTraceAsync(request.MessageId, default);

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
        Assert.Equal((request.MessageId, "CN/PLO-RU", (string?)null), (message.Message.MessageId, message.Message.Sender, message.LinksTo));
        Assert.Equal(
            [("RU/MVD", DeliveryState.Delivered, true, false), ("US/FBI", DeliveryState.Pending, false, true)],
            message.Deliveries.Select(d => (d.Delivery.Recipient, d.Delivery.State, d.FinishedAt is not null, d.ReplyDueAt is not null)));
        Assert.Equal(request.MessageId, (await temp.Store.GetMessageTraceAsync(reply.MessageId, default))!.Message!.LinksTo);
    }

    [Fact]
    public async Task A_store_written_before_audit_by_message_has_it_filled_at_open_with_the_same_trace()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var (request, _) = await StoreHistoryAsync(temp, clock);
        var before = (await temp.Store.GetMessageTraceAsync(request.MessageId, default))!;

        await temp.ReopenAsync(path =>
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE audit_by_message; DROP TABLE changelog;";
            drop.ExecuteNonQuery();
        });

        var after = (await temp.Store.GetMessageTraceAsync(request.MessageId, default))!;
        Assert.Equal(before.Events.Select(e => e.Sequence), after.Events.Select(e => e.Sequence));
        Assert.Equal(before.LinkedFrom, after.LinkedFrom);
    }

    [Fact]
    public async Task The_flow_reads_the_entries_that_name_a_message_up_to_the_durable_sequence_and_a_wait_ends_with_the_next_write()
    {
        await using var temp = new TempStore();
        var head = temp.Store.DurableAuditSequence;
        var waiting = temp.Store.WaitForAuditAfterAsync(head, default);
        Assert.False(waiting.IsCompleted);

        var message = StoreSamples.Message(recipients: ["CN/FJPSD", "CN/MPS"]);
        var accepted = (await temp.Store.AcceptAsync(message, default)).Receipt!.AuditSequence;
        var call = await temp.Store.AppendAsync(
            [new OperatorCallRecord("/interagency.v1.OperationsService/ListAgencies", "operator:duty-officer-1", "OK", string.Empty, string.Empty, []).ToAuditEntry()],
            default);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(temp.Store.DurableAuditSequence >= call);
        var flow = Assert.Single(await temp.Store.ReadFlowAsync(head, temp.Store.DurableAuditSequence, 10, default));
        Assert.Equal((accepted, message.MessageId, AuditKinds.MessageAccepted), (flow.Entry.Sequence, flow.Entry.MessageId, flow.Entry.Kind));
        Assert.Equal((MessageKind.Referral, "CN-FJ-2026-0042", "CN/PLO-RU"), (flow.Message!.Kind, flow.Message.CaseReference, flow.Message.Sender));
        Assert.Equal(["CN/FJPSD", "CN/MPS"], flow.Message.Recipients);
        Assert.Empty(await temp.Store.ReadFlowAsync(head, accepted - 1, 10, default));
    }

    /// <summary>
    /// A request to RU/MVD and US/FBI, a refusal of a resubmission of its id, its delivery to RU/MVD (1.5 ms), RU/MVD's
    /// reply, and US/FBI's reply raised overdue with a notice to the sender; another message in between.
    /// </summary>
    private static async Task<(NewMessage Request, NewMessage Reply)> StoreHistoryAsync(TempStore temp, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        var request = StoreSamples.Request("CASE-TRACE", clock.GetUtcNow().AddHours(1), "RU/MVD", "US/FBI");
        Assert.True((await temp.Store.AcceptAsync(request, default)).Applied);
        Assert.True((await temp.Store.AcceptAsync(StoreSamples.Message(recipients: ["CN/FJPSD"]), default)).Applied);
        await temp.Store.AppendAsync([Refusal(request.MessageId)], default);
        var claimed = await temp.Store.ClaimDeliveriesToAsync(Worker, TimeSpan.FromMinutes(5), 10, ["RU/MVD"], default);
        var leased = Assert.Single(claimed).Delivery;
        Assert.Equal(1, await temp.Store.CompleteDeliveriesAsync(
            Worker, [new DeliveryCompletion(leased, DeliveryResolution.Delivered) { Duration = TimeSpan.FromMicroseconds(1500) }], default));
        var reply = StoreSamples.Message(null, "CASE-TRACE", recipients: ["CN/PLO-RU"]) with
        {
            Kind = MessageKind.LocationReport,
            Sender = AgencyId.Parse("RU/MVD"),
            Link = new MessageLink(LinkKind.Reply, request.MessageId),
        };
        Assert.True((await temp.Store.AcceptAsync(reply, default)).Applied);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal("US/FBI", Assert.Single(await temp.Store.RaiseOverdueAsync(clock.GetUtcNow(), default)).Recipient);
        return (request, reply);
    }

    private static AuditEntry Refusal(string messageId) =>
        new RefusalRecord("/interagency.v1.FugitiveService/RequestLocation", "CN/PLO-RU", messageId, "NotFound", "unknown_recipient", ["header.recipients[0]"])
            .ToAuditEntry();
}
