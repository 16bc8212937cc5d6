using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// The real situations of DESIGN.md section 1, end to end: clients call the gateway process, which delivers to
/// PartnerSim processes; what each agency received is read from its inbox. Each test uses its own case reference.
/// Written once, run with the gateway on each store.
/// </summary>
public abstract class ScenarioTests(ScenarioNetwork fixture)
{
    private readonly DeliveryNetwork _network = fixture.Network;

    [NetworkFact]
    public async Task Kidnapping_referral_reaches_Fujian_held_a_wrong_release_is_refused_and_the_Russian_release_reaches_Fujian()
    {
        var referrals = new ReferralService.ReferralServiceClient(_network.Gateway.Channel);
        var referral = Samples.Referral();
        referral.Header.CaseReference = "CN-FJ-2026-KIDNAP";
        var fujianBefore = _network["CN/FJPSD"].ReadInbox().Applied.Count;

        await referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));

        var held = (await _network.WaitForInboxAsync("CN/FJPSD", fujianBefore + 1)).Applied.Single(e => e.MessageId == referral.Header.MessageId);
        Assert.Equal(("referral", true, "CN/PLO-RU"), (held.PayloadKind, held.PrepareOnly, held.Sender));

        var wrong = Release(referral, "CN/MPS");
        await StatusAssert.Refused(() => referrals.ReleaseHoldAsync(wrong, GatewayServer.As("CN/MPS")).ResponseAsync, StatusCode.PermissionDenied, "header.sender");

        var release = Release(referral, "RU/MVD");
        var receipt = (await referrals.ReleaseHoldAsync(release, GatewayServer.As("RU/MVD"))).Receipt;
        Assert.Equal(["CN/FJPSD", "CN/PLO-RU"], receipt.ResolvedRecipients);

        var fujian = await Eventually.WaitForAsync(
            () => _network["CN/FJPSD"].ReadInbox(),
            inbox => inbox.Applied.Any(e => e.MessageId == release.Header.MessageId),
            "the release notice at Fujian");
        var notice = fujian.Applied.Single(e => e.MessageId == release.Header.MessageId);
        Assert.Equal(("hold_release", "RU/MVD"), (notice.PayloadKind, notice.Sender));
        Assert.True(notice.Sequence > held.Sequence);
        await Eventually.WaitForAsync(
            () => _network["CN/PLO-RU"].ReadInbox(),
            inbox => inbox.Applied.Any(e => e.MessageId == release.Header.MessageId),
            "the release notice at the liaison office that sent the referral");
        Assert.DoesNotContain(_network["CN/MPS"].ReadInbox().Applied, e => e.MessageId == wrong.Header.MessageId);
    }

    [NetworkFact]
    public async Task Fugitive_request_fans_out_to_three_countries_a_report_returns_to_the_requester_and_the_withdrawal_reaches_all_three()
    {
        var fugitive = new FugitiveService.FugitiveServiceClient(_network.Gateway.Channel);
        var request = Samples.LocationRequest("RU", "TH", "US");
        request.Header.CaseReference = "CN-MPS-2026-FUGITIVE";

        var receipt = (await fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"))).Receipt;

        // Thailand has no direct channel: the liaison office posted there carries it.
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], receipt.ResolvedRecipients);
        foreach (var agency in receipt.ResolvedRecipients)
        {
            var entry = await ReceivedAsync(agency, request.Header.MessageId);
            Assert.Equal(("location_request", agency), (entry.PayloadKind, entry.Recipient));
        }

        var report = Samples.LocationReport(request, "RU/MVD", LocationOutcome.ProvisionallyArrested);
        Assert.Equal(["CN/MPS"], (await fugitive.ReportLocationAsync(report, GatewayServer.As("RU/MVD"))).Receipt.ResolvedRecipients);
        Assert.Equal("location_report", (await ReceivedAsync("CN/MPS", report.Header.MessageId)).PayloadKind);

        var withdrawal = new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/MPS"),
            Withdrawal = new Withdrawal { RequestMessageId = request.Header.MessageId, Reason = WithdrawalReason.Returned },
        };
        withdrawal.Header.CaseReference = request.Header.CaseReference;
        var withdrawn = (await fugitive.WithdrawRequestAsync(withdrawal, GatewayServer.As("CN/MPS"))).Receipt;

        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], withdrawn.ResolvedRecipients);
        foreach (var agency in withdrawn.ResolvedRecipients)
        {
            Assert.Equal("withdrawal", (await ReceivedAsync(agency, withdrawal.Header.MessageId)).PayloadKind);
        }

        // A report that crosses the withdrawal is still accepted and delivered, marked late.
        var late = report.Clone();
        late.Header.MessageId = Guid.NewGuid().ToString();
        late.Header.Sender = "US/FBI";
        var lateReceipt = (await fugitive.ReportLocationAsync(late, GatewayServer.As("US/FBI"))).Receipt;
        Assert.Equal(MessageState.Late, lateReceipt.State);
        Assert.True((await ReceivedAsync("CN/MPS", late.Header.MessageId)).Late);
    }

    [NetworkFact]
    public async Task A_request_for_a_political_offence_reaches_no_target_until_a_reviewer_releases_it_then_reaches_all_three()
    {
        var fugitive = new FugitiveService.FugitiveServiceClient(_network.Gateway.Channel);
        var held = Samples.LocationRequest("RU", "TH", "US");
        held.Header.CaseReference = "CN-MPS-2026-REVIEW";
        held.Request.Charges[0].Offence.Character = OffenceCharacter.Political;
        Assert.Equal(MessageState.HeldForReview, (await fugitive.RequestLocationAsync(held, GatewayServer.As("CN/MPS"))).Receipt.State);

        // An ordinary request to the same targets, sent after it, arrives everywhere: the dispatcher has passed the held one by.
        var ordinary = Samples.LocationRequest("RU", "TH", "US");
        ordinary.Header.CaseReference = "CN-MPS-2026-REVIEW-2";
        await fugitive.RequestLocationAsync(ordinary, GatewayServer.As("CN/MPS"));
        string[] targets = ["RU/MVD", "CN/PLO-TH", "US/FBI"];
        var ordinaryAt = new Dictionary<string, long>();
        foreach (var target in targets)
        {
            ordinaryAt[target] = (await ReceivedAsync(target, ordinary.Header.MessageId)).Sequence;
            Assert.DoesNotContain(_network[target].ReadInbox().Applied, e => e.MessageId == held.Header.MessageId);
        }

        var operations = new OperationsService.OperationsServiceClient(_network.Gateway.Channel);
        var listed = await operations.ListHeldMessagesAsync(new ListHeldMessagesRequest(), new Metadata { { "x-liaison-operator", "legal-officer" } });
        Assert.Contains(listed.HeldMessages, m => m.MessageId == held.Header.MessageId);
        var review = await operations.ReviewHeldMessageAsync(
            new ReviewHeldMessageRequest { MessageId = held.Header.MessageId, Decision = ReviewDecision.Release, Reason = "ordinary fraud, not political" },
            new Metadata { { "x-liaison-operator", "legal-officer" } });

        Assert.Equal(targets, review.Recipients);
        foreach (var target in targets)
        {
            var entry = await ReceivedAsync(target, held.Header.MessageId);
            Assert.Equal(("location_request", "CN/MPS", 1u), (entry.PayloadKind, entry.Sender, entry.Attempt));
            Assert.True(entry.Sequence > ordinaryAt[target], $"{target} applied the held request before the ordinary one sent after it");
        }
    }

    [NetworkFact]
    public async Task A_report_from_an_agency_the_request_never_reached_is_refused()
    {
        var fugitive = new FugitiveService.FugitiveServiceClient(_network.Gateway.Channel);
        var request = Samples.LocationRequest("RU");
        request.Header.CaseReference = "CN-MPS-2026-NOT-YOURS";
        await fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"));
        var report = Samples.LocationReport(request, "US/FBI", LocationOutcome.ProvisionallyArrested);

        await StatusAssert.Refused(() => fugitive.ReportLocationAsync(report, GatewayServer.As("US/FBI")).ResponseAsync, StatusCode.PermissionDenied, "header.sender");
    }

    [NetworkFact]
    public async Task A_partner_streams_case_updates_and_every_other_party_of_the_case_receives_them_in_order()
    {
        var referral = Samples.CaseOpening("RU/MVD", "CN/MPS", "RU-MVD-2026-STREAM");
        await new ReferralService.ReferralServiceClient(_network.Gateway.Channel).SubmitReferralAsync(referral, GatewayServer.As("RU/MVD"));
        var updates = Enumerable.Range(0, 30).Select(_ => Samples.StatusUpdate("RU/MVD", referral.Header.CaseReference)).ToList();

        using var call = new CaseUpdateService.CaseUpdateServiceClient(_network.Gateway.Channel).PublishUpdates(GatewayServer.As("RU/MVD"));
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
        }

        await call.RequestStream.CompleteAsync();
        var acks = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.All(acks, a => Assert.Equal(UpdateOutcome.Accepted, a.Outcome));

        var ministry = await Eventually.WaitForAsync(
            () => _network["CN/MPS"].ReadInbox(),
            inbox => inbox.Applied.Count(e => e.CaseReference == referral.Header.CaseReference) == 31,
            "the referral and 30 updates at the ministry");
        var received = ministry.Applied.Where(e => e.CaseReference == referral.Header.CaseReference).OrderBy(e => e.Sequence).ToList();
        Assert.Equal([referral.Header.MessageId, .. updates.Select(u => u.Header.MessageId)], received.Select(e => e.MessageId));
        Assert.All(received.Skip(1), e => Assert.Equal("case_update", e.PayloadKind));
    }

    private async Task<PartnerInboxEntry> ReceivedAsync(string agency, string messageId)
    {
        var inbox = await Eventually.WaitForAsync(
            () => _network[agency].ReadInbox(),
            i => i.Applied.Any(e => e.MessageId == messageId),
            $"message {messageId} at {agency}");
        return inbox.Applied.Single(e => e.MessageId == messageId);
    }

    private static ReleaseHoldRequest Release(SubmitReferralRequest referral, string sender)
    {
        var header = Samples.Header(sender);
        header.CaseReference = referral.Header.CaseReference;
        return new ReleaseHoldRequest
        {
            Header = header,
            Release = new HoldRelease { ReferralMessageId = referral.Header.MessageId, Remarks = "victim freed, four kidnappers arrested" },
        };
    }
}

public sealed class SqliteScenarioTests(SqliteScenarioNetwork fixture) : ScenarioTests(fixture), IClassFixture<SqliteScenarioNetwork>;

[RequiresPostgres]
public sealed class PostgresScenarioTests(PostgresScenarioNetwork fixture) : ScenarioTests(fixture), IClassFixture<PostgresScenarioNetwork>;
