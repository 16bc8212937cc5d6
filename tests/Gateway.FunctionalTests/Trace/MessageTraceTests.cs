using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Trace;

/// <summary>
/// TraceService's timeline and content calls over 127.0.0.1, as an operator and as agencies: who may see which message,
/// what a refused message's trace shows, replays of dead letters, and content shown only for a stated reason, on record.
/// </summary>
public sealed class MessageTraceTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly TraceService.TraceServiceClient _trace = new(server.Channel);
    private readonly ReferralService.ReferralServiceClient _referrals = new(server.Channel);

    [Fact]
    public async Task A_refused_message_is_traced_by_its_sender_with_the_reason_and_field_paths_and_no_content()
    {
        var referral = Samples.Referral();
        referral.Header.Recipients[0] = "CN/NO-SUCH-AGENCY";
        await StatusAssert.Refused(() => _referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU")).ResponseAsync, StatusCode.NotFound);

        var trace = await _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As("CN/PLO-RU"));

        Assert.Null(trace.Message);
        Assert.Empty(trace.Deliveries);
        var refused = Assert.Single(trace.Events);
        Assert.Equal(
            (AuditKinds.IntakeRefused, "CN/PLO-RU", referral.Header.MessageId, "unknown_recipient", "NotFound"),
            (refused.Kind, refused.Actor, refused.MessageId, refused.Reason, refused.Code));
        Assert.Equal(["header.recipients[0]"], refused.FieldPaths);
        Assert.True(refused.Sequence > 0);

        // Nothing the sender wrote comes back: no name, document, place or summary of the referral.
        var shown = trace.ToString();
        foreach (var personal in new[] { Samples.SubjectLatinName, Samples.SubjectNativeName, Samples.PassportNumber, "Fuzhou", "LIN Hao", "ransom" })
        {
            Assert.DoesNotContain(personal, shown, StringComparison.Ordinal);
        }

        // Another agency learns nothing of it, not even that it was refused.
        await StatusAssert.Refused(
            () => _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As("CN/FJPSD")).ResponseAsync,
            StatusCode.PermissionDenied,
            "message_id");
    }

    [Fact]
    public async Task An_agency_asking_for_another_agencys_message_is_denied_and_the_denial_is_audited_naming_no_party()
    {
        var referral = Samples.Referral();
        await _referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));

        var status = await StatusAssert.Refused(
            () => _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As("US/FBI")).ResponseAsync,
            StatusCode.PermissionDenied,
            "message_id");
        await StatusAssert.Refused(
            () => _trace.GetMessageContentAsync(new() { MessageId = referral.Header.MessageId, Reason = "curious" }, GatewayServer.As("US/FBI")).ResponseAsync,
            StatusCode.PermissionDenied,
            "message_id");

        Assert.Equal("NOT_A_PARTY", status.GetDetail<ErrorInfo>().Reason);
        Assert.DoesNotContain("CN/", status.ToString(), StringComparison.Ordinal);
        var denials = (await AuditAsync(server.Store, AuditKinds.IntakeRefused)).Where(r => r.MessageId == referral.Header.MessageId).ToList();
        Assert.Equal(
            ["/interagency.v1.TraceService/GetMessageTrace", "/interagency.v1.TraceService/GetMessageContent"],
            denials.Select(d => d.Details.Rpc));
        Assert.All(denials, d => Assert.Equal(("US/FBI", "PermissionDenied", "not_a_party"), (d.Actor, d.Details.Code, d.Details.Reason)));

        // The sender and the recipient see it; the sender is not shown who else asked.
        var bySender = await _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As("CN/PLO-RU"));
        Assert.Equal([AuditKinds.MessageAccepted], bySender.Events.Select(e => e.Kind));
        var byRecipient = await _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As("CN/FJPSD"));
        Assert.Equal(referral.Header.MessageId, byRecipient.Message.MessageId);

        // An operator sees every entry, the denials too, and the trace call is on record as an operator call.
        var byOperator = await _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, AsOperator("duty-officer-7"));
        Assert.Equal([AuditKinds.MessageAccepted, AuditKinds.IntakeRefused, AuditKinds.IntakeRefused], byOperator.Events.Select(e => e.Kind));
        Assert.Contains(await AuditAsync(server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:duty-officer-7"
            && r.Details.Rpc == "/interagency.v1.TraceService/GetMessageTrace" && r.Details.Code == "OK"
            && r.Details.Scope == $"message={referral.Header.MessageId}");
    }

    [Fact]
    public async Task An_unknown_message_is_not_found_and_asking_again_does_not_make_it_known()
    {
        var id = Guid.NewGuid().ToString();

        for (var i = 0; i < 2; i++)
        {
            await StatusAssert.Refused(
                () => _trace.GetMessageTraceAsync(new() { MessageId = id }, GatewayServer.As("CN/MPS")).ResponseAsync, StatusCode.NotFound, "message_id");
        }

        await StatusAssert.Refused(() => _trace.GetMessageTraceAsync(new() { MessageId = id }, AsOperator()).ResponseAsync, StatusCode.NotFound, "message_id");
    }

    [Fact]
    public async Task An_accepted_message_shows_where_each_recipient_came_from_and_the_agreement_that_allowed_it()
    {
        var request = Samples.LocationRequest("RU", "TH", "US");
        request.Header.Recipients[2] = "US/FBI";
        request.Header.CaseReference = "CN-MPS-TRACE-ROUTES";
        await new FugitiveService.FugitiveServiceClient(server.Channel).RequestLocationAsync(request, GatewayServer.As("CN/MPS"));

        var trace = await _trace.GetMessageTraceAsync(new() { MessageId = request.Header.MessageId }, GatewayServer.As("CN/MPS"));

        Assert.Equal(("LocationRequest", "CN-MPS-TRACE-ROUTES", "CN/MPS", "CN/MPS"), (trace.Message.Kind, trace.Message.CaseReference, trace.Message.Sender, trace.Message.CaseOwner));
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], trace.Message.Recipients);
        // Sent without a traceparent, the message is in the trace the gateway's server span began.
        Assert.Matches("^[0-9a-f]{32}$", trace.Message.TraceId);
        var accepted = Assert.Single(trace.Events);
        Assert.Equal((AuditKinds.MessageAccepted, (ulong)accepted.Sequence), (accepted.Kind, trace.Message.AcceptedSequence));
        Assert.Equal(
            [
                ("RU/MVD", RouteReason.CompetentAgency, "RU"),
                ("CN/PLO-TH", RouteReason.LiaisonOffice, "TH"),
                ("US/FBI", RouteReason.NamedAgency, string.Empty),
            ],
            accepted.Routes.Select(r => (r.Recipient, r.Reason, r.Addressed)));
        Assert.All(accepted.Routes, r => Assert.NotEmpty(r.Agreement));
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], trace.Deliveries.Select(d => d.Recipient));
        Assert.All(trace.Deliveries, d => Assert.NotNull(d.ReplyDueAt));
    }

    [Fact]
    public async Task A_dead_lettered_then_replayed_delivery_shows_both_with_the_operator_and_reason()
    {
        var dead = await DeadLetterAsync(server.Store, "CN/NCB", "CASE-TRACE-REPLAY");
        await new OperationsService.OperationsServiceClient(server.Channel).ReplayDeadLettersAsync(
            new() { DeliveryIds = { dead.Text }, Reason = "NCB endpoint restored after outage" }, AsOperator("duty-officer-2"));

        var trace = await _trace.GetMessageTraceAsync(new() { MessageId = dead.MessageId }, AsOperator());

        Assert.Equal(
            [AuditKinds.MessageAccepted, AuditKinds.DeliveryDeadLettered, AuditKinds.DeliveryReplayed],
            trace.Events.Select(e => e.Kind));
        Assert.Equal(trace.Events.Select(e => e.Sequence).Order(), trace.Events.Select(e => e.Sequence));
        var deadLettered = trace.Events[1];
        Assert.Equal((dead.Text, "CN/NCB", 1u, "Unavailable: endpoint down"), (deadLettered.DeliveryId, deadLettered.Recipient, deadLettered.Attempt, deadLettered.Error));
        var replayed = trace.Events[2];
        Assert.Equal(
            (dead.Text, "CN/NCB", "operator:duty-officer-2", "NCB endpoint restored after outage"),
            (replayed.DeliveryId, replayed.Recipient, replayed.Actor, replayed.Justification));
        var delivery = Assert.Single(trace.Deliveries);
        Assert.Equal((DeliveryStatus.Pending, 0u, "Unavailable: endpoint down"), (delivery.Status, delivery.Attempts, delivery.LastError));
    }

    [Fact]
    public async Task Content_is_refused_without_a_reason_and_with_one_is_shown_after_the_consultation_is_on_record()
    {
        var referral = Samples.Referral();
        await _referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));

        await StatusAssert.Refused(
            () => _trace.GetMessageContentAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As("CN/FJPSD")).ResponseAsync,
            StatusCode.InvalidArgument,
            "reason");
        Assert.DoesNotContain(await AuditAsync(server.Store, AuditKinds.MessageConsulted), r => r.MessageId == referral.Header.MessageId);

        var shown = await _trace.GetMessageContentAsync(
            new() { MessageId = referral.Header.MessageId, Reason = "preparing the arrest warrant" }, GatewayServer.As("CN/FJPSD"));

        Assert.Equal(referral, shown.Content.Unpack<SubmitReferralRequest>());
        Assert.Equal(referral.Header.MessageId, shown.Message.MessageId);
        var consulted = Assert.Single(await AuditAsync(server.Store, AuditKinds.MessageConsulted), r => r.MessageId == referral.Header.MessageId);
        Assert.Equal(
            ((long)shown.ConsultedSequence, "CN/FJPSD", "GetMessageContent", "preparing the arrest warrant"),
            (consulted.Sequence, consulted.Actor, consulted.Details.Via, consulted.Details.Justification?.Text));

        var trace = await _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, AsOperator());
        var shownEvent = Assert.Single(trace.Events, e => e.Kind == AuditKinds.MessageConsulted);
        Assert.Equal(("CN/FJPSD", "GetMessageContent", "preparing the arrest warrant"), (shownEvent.Actor, shownEvent.Via, shownEvent.Justification));
    }
}
