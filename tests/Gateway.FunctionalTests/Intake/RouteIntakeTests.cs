using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>Route agreements, hop limit and loop refusal through a real client and server on 127.0.0.1.</summary>
public class RouteIntakeTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly ReferralService.ReferralServiceClient _client = new(server.Channel);

    private Task<SubmitReferralResponse> Submit(SubmitReferralRequest request) =>
        _client.SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender)).ResponseAsync;

    private static SubmitReferralRequest Referral(string sender, string recipient, HandlingCode handling = HandlingCode.H0)
    {
        var request = Samples.Referral(sender, recipient);
        request.Header.Handling = new Handling { Code = handling, Restriction = handling == HandlingCode.H3 ? "no use in court" : string.Empty };
        return request;
    }

    private async Task AssertRefusedAuditedAndNotStored(
        SubmitReferralRequest request, StatusCode code, string reason, string field)
    {
        var status = await StatusAssert.Refused(() => Submit(request), code, field);

        Assert.Equal(reason, status.GetDetail<ErrorInfo>()?.Reason);
        var id = request.Header.MessageId;
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        var entry = Assert.Single(audit, a => a.MessageId == id);
        Assert.Equal(AuditKinds.IntakeRefused, entry.Kind);
        Assert.Equal(request.Header.Sender, entry.Actor);
        Assert.Equal(code.ToString(), entry.Details.Code);
        Assert.Equal([field], entry.Details.Fields);
        Assert.Null(await server.Store.FindMessageAsync(id, default));
        Assert.Empty(await server.Store.GetDeliveriesAsync(id, default));
    }

    [Fact]
    public async Task A_route_no_agreement_covers_is_permission_denied_audited_and_not_stored()
    {
        var request = Referral("AR/PFA", "RU/MVD");

        await AssertRefusedAuditedAndNotStored(request, StatusCode.PermissionDenied, "ROUTE_NOT_AGREED", "header.recipients[0]");
    }

    [Fact]
    public async Task A_handling_code_above_the_route_cap_is_permission_denied()
    {
        var request = Referral("US/FBI", "CN/FJPSD", HandlingCode.H3);

        await AssertRefusedAuditedAndNotStored(request, StatusCode.PermissionDenied, "ROUTE_NOT_AGREED", "header.recipients[0]");
    }

    [Fact]
    public async Task A_partner_referral_within_the_route_cap_is_accepted()
    {
        var receipt = (await Submit(Referral("US/FBI", "CN/FJPSD", HandlingCode.H2))).Receipt;

        Assert.Equal(["CN/FJPSD"], receipt.ResolvedRecipients);
    }

    [Fact]
    public async Task A_relay_path_over_the_hop_limit_is_refused_on_relayed_by()
    {
        var request = Referral("CN/PLO-RU", "CN/FJPSD");
        request.Header.RelayedBy.Add(["RU/MVD", "AR/PFA", "US/FBI", "CN/NCB"]);

        await AssertRefusedAuditedAndNotStored(request, StatusCode.InvalidArgument, "HOP_LIMIT", "header.relayed_by");
    }

    [Fact]
    public async Task A_relay_path_back_through_a_recipient_is_a_routing_loop()
    {
        var request = Referral("CN/PLO-RU", "CN/FJPSD");
        request.Header.RelayedBy.Add(["RU/MVD", "CN/FJPSD"]);

        await AssertRefusedAuditedAndNotStored(request, StatusCode.InvalidArgument, "ROUTING_LOOP", "header.relayed_by");
    }

    [Fact]
    public async Task A_relayed_referral_within_the_hop_limit_is_accepted()
    {
        var request = Referral("CN/PLO-RU", "CN/FJPSD");
        request.Header.RelayedBy.Add(["RU/MVD", "AR/PFA", "US/FBI"]);

        Assert.Equal(["CN/FJPSD"], (await Submit(request)).Receipt.ResolvedRecipients);
    }
}
