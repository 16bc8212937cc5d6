using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Operations;
using Gateway.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// Reply deadlines per recipient on a gateway whose clock the test moves: due at the sender's reply-by or the priority's
/// default, closed by that recipient's answer only, raised overdue once per request and recipient, across a restart too.
/// A scan is known to have run when a marker request, due just before the clock's time, is raised.
/// </summary>
public sealed class ReplyDeadlineTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly GatewayServer _server;

    public ReplyDeadlineTests() =>
        _server = new GatewayServer
        {
            ExtraArguments = ["--Gateway:Delivery:OverdueScanInterval=00:01:00"],
            Configure = builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)),
        };

    private FugitiveService.FugitiveServiceClient Fugitive => new(_server.Channel);

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_request_unanswered_past_its_reply_by_is_audited_overdue_and_an_answered_one_is_not()
    {
        var unanswered = Samples.LocationRequest("RU");
        unanswered.Header.CaseReference = "CN-MPS-2026-LATE";
        unanswered.Header.ReplyBy = Timestamp.FromDateTimeOffset(_clock.GetUtcNow().AddHours(8));
        var answered = Samples.LocationRequest("RU");
        answered.Header.CaseReference = "CN-MPS-2026-ONTIME";
        answered.Header.ReplyBy = unanswered.Header.ReplyBy;
        await Fugitive.RequestLocationAsync(unanswered, GatewayServer.As("CN/MPS"));
        await Fugitive.RequestLocationAsync(answered, GatewayServer.As("CN/MPS"));
        await Fugitive.ReportLocationAsync(Samples.LocationReport(answered, "RU/MVD", LocationOutcome.NotFound), GatewayServer.As("RU/MVD"));

        _clock.Advance(TimeSpan.FromHours(9));

        await WaitForOverdueAsync(unanswered);
        Assert.Empty(Overdue(answered));
    }

    [Fact]
    public async Task An_immediate_request_without_reply_by_is_overdue_at_8_hours_1_minute_and_not_at_7_hours_59_minutes()
    {
        var immediate = Samples.LocationRequest("RU");
        immediate.Header.CaseReference = "CN-MPS-2026-IMMEDIATE";
        Assert.Equal(Priority.ImmediateLifeAtRisk, immediate.Header.Priority);
        Assert.Null(immediate.Header.ReplyBy);
        await Fugitive.RequestLocationAsync(immediate, GatewayServer.As("CN/MPS"));
        var marker = await MarkerAsync(TimeSpan.FromMinutes(7 * 60 + 58));

        _clock.Advance(TimeSpan.FromMinutes(7 * 60 + 59));
        await WaitForOverdueAsync(marker);

        Assert.Empty(Overdue(immediate));

        _clock.Advance(TimeSpan.FromMinutes(2));
        var raised = Assert.Single(await WaitForOverdueAsync(immediate));
        Assert.Equal(("CN/MPS", "RU/MVD"), (raised.Sender, raised.Recipient));
        Assert.Equal(Accepted(immediate).AddHours(8), raised.ReplyBy);
    }

    [Fact]
    public async Task A_fan_out_answered_by_one_recipient_raises_overdue_for_each_other_recipient_once_also_across_a_restart()
    {
        var request = Samples.LocationRequest("RU", "TH", "US");
        request.Header.CaseReference = "CN-MPS-2026-FANOUT";
        var receipt = (await Fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"))).Receipt;
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], receipt.ResolvedRecipients);
        await Fugitive.ReportLocationAsync(Samples.LocationReport(request, "RU/MVD", LocationOutcome.NotFound), GatewayServer.As("RU/MVD"));

        _clock.Advance(TimeSpan.FromHours(9));
        var raised = await WaitForOverdueAsync(request, count: 2);

        Assert.Equal(["CN/PLO-TH", "US/FBI"], raised.Select(d => d.Recipient!).Order());
        var notices = (await _server.Store.ReadAuditAsync(default).ToListAsync()).Where(a => a.Kind == AuditKinds.NoticeIssued).ToList();
        Assert.Equal(["CN/PLO-TH", "US/FBI"], notices.Where(n => n.Details.About == request.Header.MessageId).Select(n => n.Details.Recipient!).Order());
        Assert.All(notices, n => Assert.Equal(("CN/MPS", "reply_overdue"), (Assert.Single(n.Details.Recipients!), n.Details.Reason)));

        // A restart reads every deadline again; the ones raised stay raised, and a scan after it runs (the marker's).
        var marker = await MarkerAsync(TimeSpan.FromMinutes(30));
        await _server.RestartAsync();
        _clock.Advance(TimeSpan.FromMinutes(31));
        await WaitForOverdueAsync(marker);

        Assert.Equal(2, Overdue(request).Count);
        Assert.Equal(2, (await _server.Store.ReadAuditAsync(default).ToListAsync()).Count(a => a.Kind == AuditKinds.NoticeIssued && a.Details.About == request.Header.MessageId));
    }

    [Fact]
    public async Task A_referral_answered_by_its_recipient_is_never_overdue_and_only_a_recipient_may_answer_it()
    {
        var referrals = new ReferralService.ReferralServiceClient(_server.Channel);
        var answered = Samples.Referral();
        answered.Header.CaseReference = "CN-FJ-2026-ANSWERED";
        var unanswered = Samples.Referral();
        unanswered.Header.CaseReference = "CN-FJ-2026-UNANSWERED";
        await referrals.SubmitReferralAsync(answered, GatewayServer.As("CN/PLO-RU"));
        await referrals.SubmitReferralAsync(unanswered, GatewayServer.As("CN/PLO-RU"));

        await StatusAssert.Refused(
            () => referrals.AnswerReferralAsync(Answer(answered, "RU/MVD"), GatewayServer.As("RU/MVD")).ResponseAsync, StatusCode.PermissionDenied, "header.sender");
        var unknown = Answer(answered, "CN/FJPSD");
        unknown.Answer.ReferralMessageId = Guid.NewGuid().ToString();
        await StatusAssert.Refused(
            () => referrals.AnswerReferralAsync(unknown, GatewayServer.As("CN/FJPSD")).ResponseAsync, StatusCode.NotFound, "answer.referral_message_id");
        var receipt = (await referrals.AnswerReferralAsync(Answer(answered, "CN/FJPSD"), GatewayServer.As("CN/FJPSD"))).Receipt;

        Assert.Equal(["CN/PLO-RU"], receipt.ResolvedRecipients);
        var closed = (await _server.Store.ReadAuditAsync(default).ToListAsync()).Single(a => a.Kind == AuditKinds.RequestAnswered);
        Assert.Equal((answered.Header.MessageId, "CN/FJPSD", receipt.MessageId), (closed.MessageId, closed.Details.Recipient, closed.Details.By));

        _clock.Advance(TimeSpan.FromHours(9));
        Assert.Single(await WaitForOverdueAsync(unanswered));
        Assert.Empty(Overdue(answered));
    }

    [Fact]
    public async Task A_translation_request_is_answered_by_its_recipients_translation_result_which_goes_to_the_requester_only()
    {
        const string Case = "AR-PFA-2026-TRANSLATE";
        await new ReferralService.ReferralServiceClient(_server.Channel)
            .SubmitReferralAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", Case), GatewayServer.As("AR/PFA"));
        var answeredRequest = TranslationRequest(Case);
        var unansweredRequest = TranslationRequest(Case);
        Assert.All(await PublishAsync("AR/PFA", answeredRequest, unansweredRequest), a => Assert.Equal(["CN/MPS"], a.Receipt.ResolvedRecipients));

        var notARecipient = await PublishAsync("AR/PFA", TranslationResult(answeredRequest, "AR/PFA"));
        var result = await PublishAsync("CN/MPS", TranslationResult(answeredRequest, "CN/MPS"));

        Assert.Equal((int)StatusCode.PermissionDenied, Assert.Single(notARecipient).Refusal.Code);
        Assert.Equal((UpdateOutcome.Accepted, "AR/PFA"), (result[0].Outcome, Assert.Single(result[0].Receipt.ResolvedRecipients)));
        _clock.Advance(TimeSpan.FromHours(9));
        Assert.Single(await WaitForOverdueAsync(unansweredRequest.Header.MessageId));
        Assert.Empty(Overdue(answeredRequest.Header.MessageId));
    }

    [Fact]
    public async Task ListOverdue_pages_the_overdue_replies_most_overdue_first_and_filters_by_sender_and_recipient()
    {
        // Whole seconds: the store keeps microseconds.
        var now = DateTimeOffset.FromUnixTimeSeconds(_clock.GetUtcNow().ToUnixTimeSeconds());
        var earlier = Samples.LocationRequest("TH", "US");
        earlier.Header.CaseReference = "CN-MPS-2026-LIST1";
        earlier.Header.ReplyBy = Timestamp.FromDateTimeOffset(now.AddHours(1));
        var later = Samples.LocationRequest("RU");
        later.Header.CaseReference = "CN-MPS-2026-LIST2";
        later.Header.ReplyBy = Timestamp.FromDateTimeOffset(now.AddHours(2));
        await Fugitive.RequestLocationAsync(later, GatewayServer.As("CN/MPS"));
        await Fugitive.RequestLocationAsync(earlier, GatewayServer.As("CN/MPS"));
        _clock.Advance(TimeSpan.FromHours(3));
        await WaitForOverdueAsync(earlier, count: 2);
        await WaitForOverdueAsync(later);
        var operations = new OperationsService.OperationsServiceClient(_server.Channel);

        var first = await operations.ListOverdueAsync(new ListOverdueRequest { PageSize = 2 }, OperatorFixtures.AsOperator());
        var second = await operations.ListOverdueAsync(new ListOverdueRequest { PageSize = 2, PageToken = first.NextPageToken }, OperatorFixtures.AsOperator());

        Assert.Equal(
            [(earlier.Header.MessageId, "CN/PLO-TH"), (earlier.Header.MessageId, "US/FBI"), (later.Header.MessageId, "RU/MVD")],
            first.Overdue.Concat(second.Overdue).Select(o => (o.MessageId, o.Recipient)));
        Assert.Equal("", second.NextPageToken);
        var entry = first.Overdue[0];
        Assert.Equal(("LocationRequest", "CN-MPS-2026-LIST1", "CN/MPS"), (entry.Kind, entry.CaseReference, entry.Sender));
        Assert.Equal(earlier.Header.ReplyBy, entry.ReplyDue);
        Assert.True(entry.OverdueAt.ToDateTimeOffset() > entry.ReplyDue.ToDateTimeOffset());
        var owedByUs = await operations.ListOverdueAsync(new ListOverdueRequest { Recipient = "US/FBI" }, OperatorFixtures.AsOperator());
        Assert.Equal([earlier.Header.MessageId], owedByUs.Overdue.Select(o => o.MessageId));
        Assert.Empty((await operations.ListOverdueAsync(new ListOverdueRequest { Sender = "CN/PLO-RU" }, OperatorFixtures.AsOperator())).Overdue);
        await StatusAssert.Refused(
            () => operations.ListOverdueAsync(new ListOverdueRequest { PageToken = "bm90LWEtdG9rZW4=" }, OperatorFixtures.AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument,
            "page_token");

        // Answered late, a reply is no longer owed: it leaves the list.
        await Fugitive.ReportLocationAsync(Samples.LocationReport(later, "RU/MVD", LocationOutcome.NotFound), GatewayServer.As("RU/MVD"));
        var after = await operations.ListOverdueAsync(new ListOverdueRequest(), OperatorFixtures.AsOperator());
        Assert.DoesNotContain(after.Overdue, o => o.MessageId == later.Header.MessageId);
    }

    [Fact]
    public async Task Gatewayctl_overdue_prints_one_line_per_reply_owed()
    {
        var request = Samples.LocationRequest("TH", "US");
        request.Header.CaseReference = "CN-MPS-2026-CTL";
        await Fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"));
        _clock.Advance(TimeSpan.FromHours(9));
        await WaitForOverdueAsync(request, count: 2);

        var (exitCode, output) = await ChildProcess.RunToEndAsync(
            Gatewayctl, ["overdue", "--gateway", _server.Address]);
        var (filteredExit, filtered) = await ChildProcess.RunToEndAsync(
            Gatewayctl,
            ["overdue", "--gateway", _server.Address, "--recipient", "US/FBI"]);

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("MESSAGE", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(request.Header.MessageId, StringComparison.Ordinal) && l.Contains("CN/PLO-TH", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(request.Header.MessageId, StringComparison.Ordinal) && l.Contains("US/FBI", StringComparison.Ordinal));
        Assert.Equal("2 replies overdue", lines[^1]);
        Assert.Equal((0, "1 reply overdue"), (filteredExit, filtered.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]));
    }

    private static string Gatewayctl => ChildProcess.BuildOutputFile("Gateway.Cli", "gatewayctl.dll");

    private static AnswerReferralRequest Answer(SubmitReferralRequest referral, string sender)
    {
        var answer = new AnswerReferralRequest
        {
            Header = Samples.Header(sender),
            Answer = new ReferralAnswer { ReferralMessageId = referral.Header.MessageId, Outcome = ReferralOutcome.Acknowledged, Remarks = "accomplices under watch" },
        };
        answer.Header.CaseReference = referral.Header.CaseReference;
        return answer;
    }

    private static PublishUpdatesRequest TranslationRequest(string caseReference)
    {
        var update = Samples.StatusUpdate("AR/PFA", caseReference);
        update.Header.Handling.Code = HandlingCode.H2;
        update.Update = new CaseUpdate { Translation = new TranslationRequest { EvidenceReference = "EV-2026-0007", SourceLanguage = "zh", TargetLanguage = "es" } };
        return update;
    }

    private static PublishUpdatesRequest TranslationResult(PublishUpdatesRequest request, string sender)
    {
        var update = Samples.StatusUpdate(sender, request.Header.CaseReference);
        update.Header.Handling.Code = HandlingCode.H2;
        update.Update = new CaseUpdate
        {
            TranslationResult = new TranslationResult
            {
                RequestMessageId = request.Header.MessageId,
                SourceEvidenceReference = "EV-2026-0007",
                TranslatedEvidenceReference = "EV-2026-0007-ES",
                Language = "es",
            },
        };
        return update;
    }

    private async Task<List<PublishUpdatesResponse>> PublishAsync(string agency, params PublishUpdatesRequest[] updates)
    {
        using var call = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As(agency));
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    /// <summary>A request to Russia, unanswered, due <paramref name="dueIn"/> from the clock's time.</summary>
    private async Task<RequestLocationRequest> MarkerAsync(TimeSpan dueIn)
    {
        var marker = Samples.LocationRequest("RU");
        marker.Header.CaseReference = "CN-MPS-2026-MARKER";
        marker.Header.ReplyBy = Timestamp.FromDateTimeOffset(_clock.GetUtcNow() + dueIn);
        await Fugitive.RequestLocationAsync(marker, GatewayServer.As("CN/MPS"));
        return marker;
    }

    private DateTimeOffset Accepted(RequestLocationRequest request) =>
        _server.Store.FindMessageAsync(request.Header.MessageId, default).GetAwaiter().GetResult()!.Receipt.AcceptedAt;

    private List<AuditDetails> Overdue(RequestLocationRequest request) => Overdue(request.Header.MessageId);

    private List<AuditDetails> Overdue(SubmitReferralRequest referral) => Overdue(referral.Header.MessageId);

    private List<AuditDetails> Overdue(string messageId) =>
        [.. _server.Store.ReadAuditAsync(default).ToListAsync().AsTask().GetAwaiter().GetResult()
            .Where(e => e.Kind == AuditKinds.ReplyOverdue && e.MessageId == messageId)
            .Select(e => e.Details)];

    private Task<List<AuditDetails>> WaitForOverdueAsync(RequestLocationRequest request, int count = 1) =>
        WaitForOverdueAsync(request.Header.MessageId, count);

    private Task<List<AuditDetails>> WaitForOverdueAsync(SubmitReferralRequest referral) => WaitForOverdueAsync(referral.Header.MessageId);

    private Task<List<AuditDetails>> WaitForOverdueAsync(string messageId, int count = 1) =>
        Eventually.WaitForAsync(() => Overdue(messageId), raised => raised.Count >= count, $"{count} overdue event(s) of {messageId}");
}
