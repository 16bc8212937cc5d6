using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Receipts;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>Replies (hold release and cancellation, location reports, withdrawals): who may send them, to what, and when.</summary>
public sealed class ReplyIntakeTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly ReferralService.ReferralServiceClient _referrals = new(server.Channel);
    private readonly FugitiveService.FugitiveServiceClient _fugitive = new(server.Channel);

    [Fact]
    public async Task A_release_resolves_the_hold_its_replay_gets_the_same_receipt_and_a_second_release_fails_its_precondition()
    {
        var referral = await ReferAsync();
        var release = Release(referral, "RU/MVD");

        var receipt = (await _referrals.ReleaseHoldAsync(release, GatewayServer.As("RU/MVD"))).Receipt;
        var replay = (await _referrals.ReleaseHoldAsync(release, GatewayServer.As("RU/MVD"))).Receipt;

        Assert.Equal(receipt.SignedFields(), replay.SignedFields());
        var hold = await server.Store.FindHoldAsync(referral.Header.MessageId, default);
        Assert.Equal((HoldState.Released, release.Header.MessageId), (hold!.State, hold.ResolvedBy));
        await StatusAssert.Refused(
            () => _referrals.ReleaseHoldAsync(Release(referral, "RU/MVD"), GatewayServer.As("RU/MVD")).ResponseAsync,
            StatusCode.FailedPrecondition,
            "release.referral_message_id");
    }

    [Fact]
    public async Task A_release_from_another_agency_is_refused_and_audited_and_the_hold_stays_open()
    {
        var referral = await ReferAsync();
        var wrong = Release(referral, "US/FBI");

        await StatusAssert.Refused(() => _referrals.ReleaseHoldAsync(wrong, GatewayServer.As("US/FBI")).ResponseAsync, StatusCode.PermissionDenied, "header.sender");

        Assert.Equal(HoldState.Open, (await server.Store.FindHoldAsync(referral.Header.MessageId, default))!.State);
        Assert.Null(await server.Store.FindMessageAsync(wrong.Header.MessageId, default));
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Contains(audit, a => a.Kind == AuditKinds.IntakeRefused && a.MessageId == wrong.Header.MessageId && a.Details.Reason == "not_the_release_party");
    }

    [Fact]
    public async Task Only_the_referrals_sender_may_cancel_its_hold_and_held_parties_are_told()
    {
        var referral = await ReferAsync();
        var byOther = Cancel(referral, "RU/MVD");
        await StatusAssert.Refused(() => _referrals.CancelHoldAsync(byOther, GatewayServer.As("RU/MVD")).ResponseAsync, StatusCode.PermissionDenied, "header.sender");

        var receipt = (await _referrals.CancelHoldAsync(Cancel(referral, "CN/PLO-RU"), GatewayServer.As("CN/PLO-RU"))).Receipt;

        Assert.Equal(["CN/FJPSD"], receipt.ResolvedRecipients);
        Assert.Equal(HoldState.Cancelled, (await server.Store.FindHoldAsync(referral.Header.MessageId, default))!.State);
    }

    [Fact]
    public async Task A_release_for_a_referral_without_a_hold_is_not_found_and_one_in_another_case_is_invalid()
    {
        var plain = Samples.Referral();
        plain.Referral.Coordination = null;
        await _referrals.SubmitReferralAsync(plain, GatewayServer.As("CN/PLO-RU"));
        await StatusAssert.Refused(
            () => _referrals.ReleaseHoldAsync(Release(plain, "RU/MVD"), GatewayServer.As("RU/MVD")).ResponseAsync,
            StatusCode.NotFound,
            "release.referral_message_id");

        var held = await ReferAsync();
        var otherCase = Release(held, "RU/MVD");
        otherCase.Header.CaseReference = "CN-FJ-2026-9999";
        await StatusAssert.Refused(() => _referrals.ReleaseHoldAsync(otherCase, GatewayServer.As("RU/MVD")).ResponseAsync, StatusCode.InvalidArgument, "header.case_reference");
    }

    [Fact]
    public async Task A_reply_that_names_recipients_is_refused_since_the_gateway_routes_it()
    {
        var referral = await ReferAsync();
        var release = Release(referral, "RU/MVD");
        release.Header.Recipients.Add("CN/FJPSD");

        await StatusAssert.Refused(() => _referrals.ReleaseHoldAsync(release, GatewayServer.As("RU/MVD")).ResponseAsync, StatusCode.InvalidArgument, "header.recipients");
    }

    [Fact]
    public async Task Only_the_requester_may_withdraw_and_a_report_on_an_unknown_request_is_not_found()
    {
        var request = Samples.LocationRequest("RU");
        await _fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"));
        var withdrawal = new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/FJPSD"),
            Withdrawal = new Withdrawal { RequestMessageId = request.Header.MessageId, Reason = WithdrawalReason.Returned },
        };
        await StatusAssert.Refused(() => _fugitive.WithdrawRequestAsync(withdrawal, GatewayServer.As("CN/FJPSD")).ResponseAsync, StatusCode.PermissionDenied, "header.sender");

        var report = new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD"),
            Report = new LocationReport
            {
                RequestMessageId = Guid.NewGuid().ToString(),
                Outcome = LocationOutcome.NotFound,
                ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
            },
        };
        await StatusAssert.Refused(() => _fugitive.ReportLocationAsync(report, GatewayServer.As("RU/MVD")).ResponseAsync, StatusCode.NotFound, "report.request_message_id");
    }

    private async Task<SubmitReferralRequest> ReferAsync()
    {
        var referral = Samples.Referral();
        await _referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        return referral;
    }

    private static ReleaseHoldRequest Release(SubmitReferralRequest referral, string sender) => new()
    {
        Header = Samples.Header(sender),
        Release = new HoldRelease { ReferralMessageId = referral.Header.MessageId, Remarks = "victim freed" },
    };

    private static CancelHoldRequest Cancel(SubmitReferralRequest referral, string sender) => new()
    {
        Header = Samples.Header(sender),
        Cancellation = new HoldCancellation { ReferralMessageId = referral.Header.MessageId, Remarks = "operation called off" },
    };
}
