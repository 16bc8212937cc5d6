using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Core.Trace;
using Interagency.V1;

namespace Gateway.Core.Tests.Trace;

/// <summary>The one rule of what a trace shows whom.</summary>
public class TraceVisibilityTests
{
    private const string TracePath = "/interagency.v1.TraceService/";

    [Theory]
    [InlineData("CN/PLO-RU", true)]
    [InlineData("CN/FJPSD", true)]
    [InlineData("CN/MPS", true)]
    [InlineData("RU/MVD", false)]
    [InlineData("US/FBI", false)]
    public void An_agency_sees_the_messages_it_sent_or_was_addressed_by(string agency, bool sees)
    {
        var message = Traced(sender: "CN/PLO-RU", "CN/FJPSD", "CN/MPS");

        Assert.Equal(sees, TraceVisibility.MaySee(TraceViewer.OfAgency(agency), message));
    }

    [Fact]
    public void An_operator_sees_every_message()
    {
        Assert.True(TraceVisibility.MaySee(TraceViewer.Operator("operator:duty-officer-1"), Traced("CN/PLO-RU", "CN/FJPSD")));
    }

    [Fact]
    public void A_recipient_of_a_replayed_or_finished_delivery_is_still_a_recipient()
    {
        var message = Traced("CN/MPS", "RU/MVD") with
        {
            Deliveries = [Delivery(1, "RU/MVD", DeliveryState.Withdrawn), Delivery(2, "US/FBI", DeliveryState.DeadLettered)],
        };

        Assert.True(TraceVisibility.MaySee(TraceViewer.OfAgency("US/FBI"), message));
    }

    [Fact]
    public void An_agency_is_not_shown_the_calls_other_agencies_were_refused_about_its_message_and_an_operator_is()
    {
        var denied = Entry(AuditKinds.IntakeRefused, "US/FBI", new AuditDetails { Rpc = TracePath + "GetMessageTrace", Code = "PermissionDenied" });
        var own = Entry(AuditKinds.IntakeRefused, "CN/PLO-RU", new AuditDetails { Rpc = "/interagency.v1.ReferralService/SubmitReferral" });
        var delivered = Entry(AuditKinds.DeliveryDelivered, "host/1/abc", new AuditDetails { Recipient = "CN/FJPSD" });

        var agency = TraceViewer.OfAgency("CN/PLO-RU");
        Assert.Equal([false, true, true], new[] { denied, own, delivered }.Select(e => TraceVisibility.Shows(agency, e)));
        Assert.All(new[] { denied, own, delivered }, e => Assert.True(TraceVisibility.Shows(TraceViewer.Operator("operator:x"), e)));
    }

    [Fact]
    public void Only_a_refusal_of_the_message_itself_not_of_a_trace_call_about_it_makes_a_timeline()
    {
        var intake = Entry(AuditKinds.IntakeRefused, "CN/PLO-RU", new AuditDetails { Rpc = "/interagency.v1.ReferralService/SubmitReferral" });
        var lookup = Entry(AuditKinds.IntakeRefused, "CN/MPS", new AuditDetails { Rpc = TracePath + "GetMessageTrace" });
        var accepted = Entry(AuditKinds.MessageAccepted, "CN/PLO-RU", new AuditDetails());

        Assert.Equal([true, false, false], new[] { intake, lookup, accepted }.Select(e => TraceVisibility.IsRefusalOfMessage(e, TracePath)));
    }

    [Fact]
    public void A_refused_id_never_stored_is_traced_by_the_refused_caller_and_operators_only()
    {
        var refused = new MessageTrace(
            null,
            [Entry(AuditKinds.IntakeRefused, "CN/PLO-RU", new AuditDetails { Rpc = "/interagency.v1.ReferralService/SubmitReferral" })],
            []);
        var askedOnly = new MessageTrace(null, [Entry(AuditKinds.IntakeRefused, "CN/MPS", new AuditDetails { Rpc = TracePath + "GetMessageTrace" })], []);

        Assert.True(TraceVisibility.MaySee(TraceViewer.OfAgency("CN/PLO-RU"), refused, TracePath));
        Assert.True(TraceVisibility.MaySee(TraceViewer.Operator("operator:duty-officer-1"), refused, TracePath));
        Assert.False(TraceVisibility.MaySee(TraceViewer.OfAgency("CN/FJPSD"), refused, TracePath));
        Assert.False(TraceVisibility.MaySee(TraceViewer.OfAgency("CN/MPS"), askedOnly, TracePath));
    }

    private static TracedMessage Traced(string sender, params string[] recipients) =>
        new(
            1,
            new StoredMessage("m-1", MessageKind.Referral, "CASE-1", sender, [], [], DateTimeOffset.UnixEpoch,
                new AcceptanceReceipt("m-1", recipients, DateTimeOffset.UnixEpoch, 1, MessageState.Accepted)),
            null,
            [.. recipients.Select((r, i) => Delivery(i + 1, r, DeliveryState.Pending))]);

    private static DeliveryTraceRecord Delivery(long id, string recipient, DeliveryState state) =>
        new(new DeliveryRecord(id, "m-1", recipient, "CASE-1", state, 0, null, null), DateTimeOffset.UnixEpoch, null, null);

    private static AuditRecord Entry(string kind, string actor, AuditDetails details) =>
        new(1, DateTimeOffset.UnixEpoch, kind, actor, "m-1", details.Serialize(), [], []);
}
