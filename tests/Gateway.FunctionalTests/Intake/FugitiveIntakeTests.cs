using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>Fugitive location requests, reports and withdrawals through a real client and server.</summary>
public class FugitiveIntakeTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly FugitiveService.FugitiveServiceClient _client = new(server.Channel);

    private Task<RequestLocationResponse> Request(RequestLocationRequest request) =>
        _client.RequestLocationAsync(request, GatewayServer.As(request.Header.Sender)).ResponseAsync;

    [Fact]
    public async Task A_valid_request_fans_out_to_each_target_country()
    {
        var request = Samples.LocationRequest("RU", "TH", "US");

        var receipt = (await Request(request)).Receipt;

        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], receipt.ResolvedRecipients);
        Assert.Equal(Interagency.V1.MessageState.Accepted, receipt.State);
        var deliveries = await server.Store.GetDeliveriesAsync(receipt.MessageId, default);
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], deliveries.Select(d => d.Recipient));
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.Pending, d.State));
    }

    [Theory]
    [InlineData(OffenceCharacter.Political)]
    [InlineData(OffenceCharacter.Racial)]
    public async Task A_request_for_a_political_or_similar_offence_is_accepted_but_held_for_review(OffenceCharacter character)
    {
        var request = Samples.LocationRequest();
        request.Request.Charges[0].Offence.Character = character;

        var receipt = (await Request(request)).Receipt;

        Assert.Equal(Interagency.V1.MessageState.HeldForReview, receipt.State);
        Assert.All(await server.Store.GetDeliveriesAsync(receipt.MessageId, default), d => Assert.Equal(DeliveryState.HeldForReview, d.State));
    }

    public static TheoryData<string, Action<RequestLocationRequest>, StatusCode, string> Refusals => new()
    {
        { "prosecution under two years", r => r.Request.Charges[0].MaximumPenaltyMonths = 12, StatusCode.InvalidArgument, "request.charges" },
        {
            "sentence with under six months left",
            r =>
            {
                r.Request.Warrant.Basis = WarrantBasis.Sentence;
                r.Request.Warrant.RemainingSentenceMonths = 3;
            },
            StatusCode.InvalidArgument,
            "request.warrant.remaining_sentence_months"
        },
        { "target country not addressed", r => r.Request.TargetCountries.Add("AR"), StatusCode.InvalidArgument, "request.target_countries[3]" },
        { "notice reference malformed", r => r.Request.NoticeReference = "red-1", StatusCode.InvalidArgument, "request.notice_reference" },
        { "no charges", r => r.Request.Charges.Clear(), StatusCode.InvalidArgument, "request.charges" },
        { "target country malformed", r => r.Request.TargetCountries[0] = "Russia", StatusCode.InvalidArgument, "request.target_countries[0]" },
        { "warrant date malformed", r => r.Request.Warrant.IssuedOn = "2026-13-01", StatusCode.InvalidArgument, "request.warrant.issued_on" },
        { "requested action undefined", r => r.Request.RequestedAction = (LocationAction)7, StatusCode.InvalidArgument, "request.requested_action" },
        { "sender is not the caller", r => r.Header.Sender = "CN/NCB", StatusCode.PermissionDenied, "header.sender" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_broken_rule_is_refused_with_its_field(string rule, Action<RequestLocationRequest> breakRule, StatusCode code, string field)
    {
        var request = Samples.LocationRequest();
        breakRule(request);

        var status = await StatusAssert.Refused(
            () => _client.RequestLocationAsync(request, GatewayServer.As("CN/MPS")).ResponseAsync, code, field);

        Assert.False(string.IsNullOrWhiteSpace(status.Message), rule);
        Assert.Null(await server.Store.FindMessageAsync(request.Header.MessageId, default));
    }

    [Fact]
    public async Task A_report_goes_back_to_the_requester_and_a_withdrawal_withdraws_deliveries_never_attempted()
    {
        var request = Samples.LocationRequest();
        var requestReceipt = (await Request(request)).Receipt;

        var reportHeader = Samples.Header("RU/MVD");
        var report = new ReportLocationRequest
        {
            Header = reportHeader,
            Report = new LocationReport
            {
                RequestMessageId = requestReceipt.MessageId,
                Outcome = LocationOutcome.ProvisionallyArrested,
                Location = new Location { Country = "RU", Place = "Moscow" },
                ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
            },
        };
        var reportReceipt = (await _client.ReportLocationAsync(report, GatewayServer.As("RU/MVD"))).Receipt;

        var withdrawal = new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/MPS"),
            Withdrawal = new Withdrawal { RequestMessageId = requestReceipt.MessageId, Reason = WithdrawalReason.Returned },
        };
        var withdrawalReceipt = (await _client.WithdrawRequestAsync(withdrawal, GatewayServer.As("CN/MPS"))).Receipt;

        Assert.Equal(["CN/MPS"], reportReceipt.ResolvedRecipients);
        // This gateway has no endpoints to deliver to: no agency ever saw the request, so none needs the withdrawal.
        Assert.Empty(withdrawalReceipt.ResolvedRecipients);
        Assert.All(await server.Store.GetDeliveriesAsync(requestReceipt.MessageId, default), d => Assert.Equal(DeliveryState.Withdrawn, d.State));
        Assert.True(withdrawalReceipt.AuditSequence > reportReceipt.AuditSequence);
    }
}
