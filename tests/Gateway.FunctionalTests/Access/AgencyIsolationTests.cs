using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Access;

/// <summary>
/// Acceptance bullet 4 of issue 19, one test per agency-facing RPC, through the real wire: agency C (US/FBI) can neither
/// read, trace, search or watch a message agency A sent to agency B, nor act on it. Where C names A's message, C's
/// refusal is the same whether or not C guessed its case reference, so a refusal confirms nothing about it either.
/// </summary>
public sealed class AgencyIsolationTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private const string C = "US/FBI";

    private static int _cases;

    private readonly ReferralService.ReferralServiceClient _referrals = new(server.Channel);
    private readonly FugitiveService.FugitiveServiceClient _fugitive = new(server.Channel);
    private readonly ClarificationService.ClarificationServiceClient _clarification = new(server.Channel);
    private readonly CaseUpdateService.CaseUpdateServiceClient _updates = new(server.Channel);
    private readonly TraceService.TraceServiceClient _trace = new(server.Channel);

    [Fact]
    public async Task SubmitReferral_reusing_the_id_of_As_referral_gets_no_receipt_of_it()
    {
        var referral = await HeldReferralAsync();
        var reuse = Samples.CaseOpening(C, "CN/MPS", NewCase("US-FBI"));
        reuse.Header.MessageId = referral.Header.MessageId;

        var status = await StatusAssert.Refused(() => _referrals.SubmitReferralAsync(reuse, GatewayServer.As(C)).ResponseAsync, StatusCode.AlreadyExists);

        AssertSaysNothingOf(status, referral.Header);
        Assert.Equal("CN/PLO-RU", (await server.Store.FindMessageAsync(referral.Header.MessageId, default))!.Sender);
    }

    [Fact]
    public async Task RequestLocation_reusing_the_id_of_As_request_gets_no_receipt_of_it()
    {
        // C is the NCB here: a foreign partner may send no location request at all, so its refusal would show nothing.
        const string ncb = "CN/NCB";
        var request = await LocationRequestAsync();
        var reuse = new RequestLocationRequest { Header = Samples.Header(ncb, "CN"), Request = Samples.FugitiveLocation(["CN"]) };
        reuse.Header.CaseReference = NewCase("CN-NCB");
        reuse.Header.MessageId = request.Header.MessageId;

        var status = await StatusAssert.Refused(() => _fugitive.RequestLocationAsync(reuse, GatewayServer.As(ncb)).ResponseAsync, StatusCode.AlreadyExists);

        AssertSaysNothingOf(status, request.Header);
        Assert.Equal("CN/MPS", (await server.Store.FindMessageAsync(request.Header.MessageId, default))!.Sender);
    }

    [Fact]
    public async Task ReleaseHold_of_As_referral_is_refused_alike_with_any_case_reference_and_the_hold_stays_open()
    {
        var referral = await HeldReferralAsync();

        await RefusedAlikeAsync(referral.Header, StatusCode.PermissionDenied, caseReference => _referrals.ReleaseHoldAsync(
            new ReleaseHoldRequest
            {
                Header = Header(caseReference),
                Release = new HoldRelease { ReferralMessageId = referral.Header.MessageId, Remarks = "victim freed" },
            },
            GatewayServer.As(C)).ResponseAsync);

        Assert.Equal(HoldState.Open, (await server.Store.FindHoldAsync(referral.Header.MessageId, default))!.State);
    }

    [Fact]
    public async Task CancelHold_of_As_referral_is_refused_alike_with_any_case_reference_and_the_hold_stays_open()
    {
        var referral = await HeldReferralAsync();

        await RefusedAlikeAsync(referral.Header, StatusCode.PermissionDenied, caseReference => _referrals.CancelHoldAsync(
            new CancelHoldRequest
            {
                Header = Header(caseReference),
                Cancellation = new HoldCancellation { ReferralMessageId = referral.Header.MessageId, Remarks = "called off" },
            },
            GatewayServer.As(C)).ResponseAsync);

        Assert.Equal(HoldState.Open, (await server.Store.FindHoldAsync(referral.Header.MessageId, default))!.State);
    }

    [Fact]
    public async Task AnswerReferral_to_As_referral_is_refused_alike_with_any_case_reference()
    {
        var referral = await HeldReferralAsync();

        await RefusedAlikeAsync(referral.Header, StatusCode.PermissionDenied, caseReference => _referrals.AnswerReferralAsync(
            new AnswerReferralRequest
            {
                Header = Header(caseReference),
                Answer = new ReferralAnswer { ReferralMessageId = referral.Header.MessageId, Outcome = ReferralOutcome.Acknowledged },
            },
            GatewayServer.As(C)).ResponseAsync);

        Assert.True(await server.Store.IsReplyAwaitedAsync(referral.Header.MessageId, "CN/FJPSD", default));
    }

    [Fact]
    public async Task ReportLocation_on_As_request_is_refused_alike_with_any_case_reference_and_reaches_nobody()
    {
        var request = await LocationRequestAsync();
        var before = await AuditCountAsync(AuditKinds.MessageAccepted);

        await RefusedAlikeAsync(request.Header, StatusCode.PermissionDenied, caseReference => _fugitive.ReportLocationAsync(
            new ReportLocationRequest
            {
                Header = Header(caseReference),
                Report = new LocationReport
                {
                    RequestMessageId = request.Header.MessageId,
                    Outcome = LocationOutcome.Located,
                    Location = new Location { Country = "US", Place = "Newark" },
                    ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
                },
            },
            GatewayServer.As(C)).ResponseAsync);

        Assert.Equal(before, await AuditCountAsync(AuditKinds.MessageAccepted));
    }

    [Fact]
    public async Task WithdrawRequest_of_As_request_is_refused_alike_with_any_case_reference_and_withdraws_nothing()
    {
        var request = await LocationRequestAsync();

        await RefusedAlikeAsync(request.Header, StatusCode.PermissionDenied, caseReference => _fugitive.WithdrawRequestAsync(
            new WithdrawRequestRequest
            {
                Header = Header(caseReference),
                Withdrawal = new Withdrawal { RequestMessageId = request.Header.MessageId, Reason = WithdrawalReason.Returned },
            },
            GatewayServer.As(C)).ResponseAsync);

        Assert.All(await server.Store.GetDeliveriesAsync(request.Header.MessageId, default), d => Assert.Equal(DeliveryState.Pending, d.State));
        Assert.Null((await server.Store.FindMessageAsync(request.Header.MessageId, default))!.WithdrawnAt);
    }

    [Fact]
    public async Task AnswerClarification_about_As_referral_is_refused_alike_with_any_case_reference()
    {
        var referral = await HeldReferralAsync();

        await RefusedAlikeAsync(referral.Header, StatusCode.PermissionDenied, caseReference => _clarification.AnswerClarificationAsync(
            new AnswerClarificationRequest
            {
                Header = Header(caseReference),
                Answer = new ClarificationAnswer { MessageId = referral.Header.MessageId, Recipient = "CN/FJPSD", Answer = "the warehouse is on pier 4" },
            },
            GatewayServer.As(C)).ResponseAsync);
    }

    [Fact]
    public async Task PublishUpdates_under_As_case_reference_reaches_neither_A_nor_B()
    {
        var (reference, _) = await OpenCaseAsync();

        var ack = Assert.Single(await PublishAsync(C, Samples.StatusUpdate(C, reference)));

        Assert.Equal(UpdateOutcome.Refused, ack.Outcome);
        Assert.DoesNotContain("AR/PFA", ack.Refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CN/MPS", ack.Refusal.Message, StringComparison.Ordinal);
        Assert.Null(await server.Store.FindMessageAsync(ack.MessageId, default));
    }

    [Fact]
    public async Task Subscribe_to_As_case_or_to_everything_yields_none_of_As_updates()
    {
        var (reference, update) = await OpenCaseAsync();
        var marker = await UpdateForCAsync();

        var named = await SubscribeUntilAsync(new SubscribeRequest { CaseReferences = { reference, marker.Header.CaseReference } }, marker.Header.MessageId);
        var everything = await SubscribeUntilAsync(new SubscribeRequest(), marker.Header.MessageId);

        Assert.All(named.Concat(everything), u => Assert.NotEqual(reference, u.Header.CaseReference));
        Assert.DoesNotContain(named.Concat(everything), u => u.Header.MessageId == update.Header.MessageId);
    }

    [Fact]
    public async Task GetMessageTrace_of_As_message_is_refused_and_shows_nothing_of_it()
    {
        var referral = await HeldReferralAsync();

        var status = await StatusAssert.Refused(
            () => _trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As(C)).ResponseAsync, StatusCode.PermissionDenied);

        Assert.Equal("NOT_A_PARTY", status.GetDetail<ErrorInfo>()?.Reason);
        AssertSaysNothingOf(status, referral.Header);
    }

    [Fact]
    public async Task GetMessageContent_of_As_message_is_refused_and_no_consultation_by_C_is_recorded()
    {
        var referral = await HeldReferralAsync();

        var status = await StatusAssert.Refused(
            () => _trace.GetMessageContentAsync(new() { MessageId = referral.Header.MessageId, Reason = "curious" }, GatewayServer.As(C)).ResponseAsync,
            StatusCode.PermissionDenied);

        AssertSaysNothingOf(status, referral.Header);
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.DoesNotContain(audit, a => a.Kind == AuditKinds.MessageConsulted && a.MessageId == referral.Header.MessageId);
    }

    [Fact]
    public async Task SearchMessages_by_As_case_sender_or_recipient_finds_none_of_As_messages()
    {
        var (reference, update) = await OpenCaseAsync();
        MessageFilter[] filters =
        [
            new() { CaseReference = reference },
            new() { Sender = "AR/PFA" },
            new() { Recipient = "CN/MPS" },
            new(),
        ];

        foreach (var filter in filters)
        {
            var found = await _trace.SearchMessagesAsync(new() { Filter = filter, PageSize = 500 }, GatewayServer.As(C));

            Assert.All(found.Messages, m => Assert.True(m.Message.Sender == C || m.Deliveries.Any(d => d.Recipient == C), m.Message.MessageId));
            Assert.DoesNotContain(found.Messages, m => m.Message.CaseReference == reference || m.Message.MessageId == update.Header.MessageId);
        }
    }

    [Fact]
    public async Task WatchFlow_from_the_start_shows_none_of_As_events()
    {
        var (reference, update) = await OpenCaseAsync();
        var marker = Samples.CaseOpening(C, "CN/MPS", NewCase("US-FBI"));
        await _referrals.SubmitReferralAsync(marker, GatewayServer.As(C));

        var seen = new List<WatchFlowResponse>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = _trace.WatchFlow(new WatchFlowRequest { Agency = "CN/MPS", AfterSequence = 0 }, GatewayServer.As(C), cancellationToken: deadline.Token);
        await foreach (var flow in call.ResponseStream.ReadAllAsync(deadline.Token))
        {
            seen.Add(flow);
            if (flow.Event.MessageId == marker.Header.MessageId)
            {
                break;
            }
        }

        Assert.Contains(seen, f => f.Event.MessageId == marker.Header.MessageId);
        Assert.DoesNotContain(seen, f => f.CaseReference == reference || f.Event.MessageId == update.Header.MessageId || f.Sender == "AR/PFA");
    }

    private static string NewCase(string prefix) => $"{prefix}-ACC-{Interlocked.Increment(ref _cases):D4}";

    private static Header Header(string caseReference)
    {
        var header = Samples.Header(C);
        header.CaseReference = caseReference;
        return header;
    }

    /// <summary>Sends C's call naming A's message with A's case reference, then with another: both refused, with the same status and reason.</summary>
    private async Task RefusedAlikeAsync(Header of, StatusCode code, Func<string, Task> call)
    {
        var right = await StatusAssert.Refused(() => call(of.CaseReference), code);
        var wrong = await StatusAssert.Refused(() => call(NewCase("CN-GUESS")), code);

        Assert.Equal(right.GetDetail<ErrorInfo>()?.Reason, wrong.GetDetail<ErrorInfo>()?.Reason);
        AssertSaysNothingOf(right, of);
    }

    private static void AssertSaysNothingOf(Google.Rpc.Status status, Header of)
    {
        var text = status.Message + string.Concat(status.Details.Where(d => d.Is(BadRequest.Descriptor))
            .SelectMany(d => d.Unpack<BadRequest>().FieldViolations).Select(v => v.Description));
        Assert.DoesNotContain(of.CaseReference, text, StringComparison.Ordinal);
        Assert.DoesNotContain(of.Sender, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Samples.SubjectLatinName, text, StringComparison.Ordinal);
        Assert.All(of.Recipients, r => Assert.DoesNotContain(r, text, StringComparison.Ordinal));
    }

    /// <summary>A (CN/PLO-RU) refers to B (CN/FJPSD), held until RU/MVD releases, under a case of its own.</summary>
    private async Task<SubmitReferralRequest> HeldReferralAsync()
    {
        var referral = Samples.Referral();
        referral.Header.CaseReference = NewCase("CN-FJ");
        await _referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        return referral;
    }

    /// <summary>A (CN/MPS) asks B (RU/MVD) to locate a fugitive.</summary>
    private async Task<RequestLocationRequest> LocationRequestAsync()
    {
        var request = Samples.LocationRequest("RU");
        request.Header.CaseReference = NewCase("CN-MPS");
        await _fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"));
        return request;
    }

    /// <summary>A (AR/PFA) opens a case with B (CN/MPS) and publishes an update on it.</summary>
    private async Task<(string Reference, PublishUpdatesRequest Update)> OpenCaseAsync()
    {
        var reference = NewCase("AR-PFA");
        await _referrals.SubmitReferralAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", reference), GatewayServer.As("AR/PFA"));
        var update = Samples.StatusUpdate("AR/PFA", reference);
        Assert.Equal(UpdateOutcome.Accepted, Assert.Single(await PublishAsync("AR/PFA", update)).Outcome);
        return (reference, update);
    }

    /// <summary>An update addressed to C: C opens a case with CN/MPS, which publishes on it.</summary>
    private async Task<PublishUpdatesRequest> UpdateForCAsync()
    {
        var reference = NewCase("US-FBI");
        await _referrals.SubmitReferralAsync(Samples.CaseOpening(C, "CN/MPS", reference), GatewayServer.As(C));
        var update = Samples.StatusUpdate("CN/MPS", reference);
        Assert.Equal(UpdateOutcome.Accepted, Assert.Single(await PublishAsync("CN/MPS", update)).Outcome);
        return update;
    }

    private async Task<List<SubscribeResponse>> SubscribeUntilAsync(SubscribeRequest request, string markerId)
    {
        var seen = new List<SubscribeResponse>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = _updates.Subscribe(request, GatewayServer.As(C), cancellationToken: deadline.Token);
        await foreach (var update in call.ResponseStream.ReadAllAsync(deadline.Token))
        {
            seen.Add(update);
            if (update.Header.MessageId == markerId)
            {
                return seen;
            }
        }

        throw new InvalidOperationException("The subscription ended before the update addressed to C.");
    }

    private async Task<List<PublishUpdatesResponse>> PublishAsync(string agency, PublishUpdatesRequest update)
    {
        using var call = _updates.PublishUpdates(GatewayServer.As(agency));
        await call.RequestStream.WriteAsync(update);
        await call.RequestStream.CompleteAsync();
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    private async Task<int> AuditCountAsync(string kind) => (await server.Store.ReadAuditAsync(default).ToListAsync()).Count(a => a.Kind == kind);
}
