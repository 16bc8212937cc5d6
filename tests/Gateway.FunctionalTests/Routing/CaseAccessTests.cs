using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Routing;

/// <summary>
/// Issue 17, defects 1 and 2, over a real socket: a case reference chosen by a sender never gives it another agency's
/// case, and every delivery the gateway creates (case updates and replies included) passes the route agreements with its
/// handling code.
/// </summary>
public sealed class CaseAccessTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly ReferralService.ReferralServiceClient _referrals = new(server.Channel);
    private readonly FugitiveService.FugitiveServiceClient _fugitive = new(server.Channel);
    private readonly CaseUpdateService.CaseUpdateServiceClient _updates = new(server.Channel);

    [Fact]
    public async Task An_agency_reusing_another_agencys_case_reference_opens_a_case_of_its_own_and_gets_none_of_the_others_updates()
    {
        const string reference = "AR-PFA-2026-1701";
        await ReferAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", reference));
        var intruder = await ReferAsync(Samples.CaseOpening("US/FBI", "CN/MPS", reference));

        var fromOwner = Assert.Single(await PublishAsync("AR/PFA", Samples.StatusUpdate("AR/PFA", reference)));
        var fromIntruder = Assert.Single(await PublishAsync("US/FBI", Samples.StatusUpdate("US/FBI", reference)));

        // Before issue 17 the owner's update went to [CN/MPS, US/FBI], and the intruder's reached AR/PFA.
        Assert.Equal(["CN/MPS"], intruder.Receipt.ResolvedRecipients);
        Assert.Equal((UpdateOutcome.Accepted, "CN/MPS"), (fromOwner.Outcome, fromOwner.Receipt.ResolvedRecipients.Single()));
        Assert.Equal((UpdateOutcome.Accepted, "CN/MPS"), (fromIntruder.Outcome, fromIntruder.Receipt.ResolvedRecipients.Single()));
        Assert.DoesNotContain(await server.Store.GetDeliveriesAsync(fromOwner.MessageId, default), d => d.Recipient == "US/FBI");
        Assert.DoesNotContain(await server.Store.GetDeliveriesAsync(fromIntruder.MessageId, default), d => d.Recipient == "AR/PFA");
    }

    [Fact]
    public async Task An_agency_in_two_cases_under_one_reference_must_use_a_reference_of_its_own()
    {
        const string reference = "AR-PFA-2026-1702";
        await ReferAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", reference));
        await ReferAsync(Samples.CaseOpening("US/FBI", "CN/MPS", reference));
        var update = Samples.StatusUpdate("CN/MPS", reference);
        var request = Samples.LocationRequest("RU");
        request.Header.CaseReference = reference;

        var ack = Assert.Single(await PublishAsync("CN/MPS", update));
        var status = await StatusAssert.Refused(
            () => _fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS")).ResponseAsync, StatusCode.FailedPrecondition, "header.case_reference");

        Assert.Equal((UpdateOutcome.Refused, (int)StatusCode.FailedPrecondition), (ack.Outcome, ack.Refusal.Code));
        Assert.Equal("AMBIGUOUS_CASE_REFERENCE", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Null(await server.Store.FindMessageAsync(update.Header.MessageId, default));
    }

    [Fact]
    public async Task A_case_update_above_the_handling_code_of_its_route_is_refused_as_a_referral_on_that_route_is()
    {
        const string reference = "AR-PFA-2026-1703";
        await ReferAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", reference));
        var update = Samples.StatusUpdate("AR/PFA", reference);
        update.Header.Handling = new Handling { Code = HandlingCode.H3, Restriction = "no use in court" };
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", reference);
        referral.Header.Handling = update.Header.Handling.Clone();

        var ack = Assert.Single(await PublishAsync("AR/PFA", update));
        await StatusAssert.Refused(() => _referrals.SubmitReferralAsync(referral, GatewayServer.As("AR/PFA")).ResponseAsync, StatusCode.PermissionDenied);

        Assert.Equal((UpdateOutcome.Refused, (int)StatusCode.PermissionDenied), (ack.Outcome, ack.Refusal.Code));
        Assert.Equal("ROUTE_NOT_AGREED", ack.Refusal.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason);
        var violation = Assert.Single(ack.Refusal.Details.Single(d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>().FieldViolations);
        Assert.Equal("header.handling.code", violation.Field);
        Assert.DoesNotContain("CN/MPS", ack.Refusal.Message + violation.Description);
        Assert.Null(await server.Store.FindMessageAsync(update.Header.MessageId, default));
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Contains(audit, a => a.Kind == AuditKinds.IntakeRefused && a.MessageId == update.Header.MessageId && a.Details.Reason == "route_not_agreed");
    }

    [Fact]
    public async Task A_reply_above_what_the_route_of_the_request_allows_is_refused_and_one_within_it_is_accepted()
    {
        // Domestic -> ForeignPartner carries location requests up to H2.
        var request = Samples.LocationRequest("RU");
        request.Header.CaseReference = "CN-MPS-2026-1704";
        request.Header.Handling = new Handling { Code = HandlingCode.H2 };
        await _fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"));

        var above = Report(request, HandlingCode.H3);
        var status = await StatusAssert.Refused(
            () => _fugitive.ReportLocationAsync(above, GatewayServer.As("RU/MVD")).ResponseAsync, StatusCode.PermissionDenied, "header.handling.code");
        var within = (await _fugitive.ReportLocationAsync(Report(request, HandlingCode.H2), GatewayServer.As("RU/MVD"))).Receipt;

        Assert.Equal("ROUTE_NOT_AGREED", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Null(await server.Store.FindMessageAsync(above.Header.MessageId, default));
        Assert.Equal(["CN/MPS"], within.ResolvedRecipients);
    }

    private static ReportLocationRequest Report(RequestLocationRequest request, HandlingCode handling)
    {
        var header = Samples.Header("RU/MVD");
        header.CaseReference = request.Header.CaseReference;
        header.Handling = new Handling { Code = handling, Restriction = handling == HandlingCode.H3 ? "no use in court" : string.Empty };
        return new ReportLocationRequest
        {
            Header = header,
            Report = new LocationReport
            {
                RequestMessageId = request.Header.MessageId,
                Outcome = LocationOutcome.Located,
                Location = new Location { Country = "RU", Place = "Moscow" },
                ObservedAt = header.CreatedAt,
            },
        };
    }

    private async Task<SubmitReferralResponse> ReferAsync(SubmitReferralRequest referral) =>
        await _referrals.SubmitReferralAsync(referral, GatewayServer.As(referral.Header.Sender));

    private async Task<List<PublishUpdatesResponse>> PublishAsync(string agency, params PublishUpdatesRequest[] updates)
    {
        using var call = _updates.PublishUpdates(GatewayServer.As(agency));
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }
}
