using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>The refusal of a message id reused for other content is audited like every other refusal: with its rpc.</summary>
public sealed class MessageIdReuseAuditTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    [Fact]
    public async Task A_reused_message_id_is_refused_and_its_audit_entry_names_the_rpc()
    {
        var client = new ReferralService.ReferralServiceClient(server.Channel);
        var first = Samples.Referral();
        await client.SubmitReferralAsync(first, GatewayServer.As("CN/PLO-RU"));
        var other = Samples.Referral();
        other.Header.MessageId = first.Header.MessageId;
        other.Referral.Summary = "A different referral under the same id.";

        await StatusAssert.Refused(() => client.SubmitReferralAsync(other, GatewayServer.As("CN/PLO-RU")).ResponseAsync, StatusCode.AlreadyExists);

        var entry = Assert.Single(await server.Store.ReadAuditAsync(default)
            .Where(a => a.Kind == AuditKinds.IntakeRefused && a.MessageId == first.Header.MessageId)
            .ToListAsync());
        Assert.Equal(
            new AuditDetails
            {
                Rpc = "/interagency.v1.ReferralService/SubmitReferral",
                Code = "AlreadyExists",
                Reason = "message_id_reused",
                Fields = ["header.message_id"],
            }.Serialize(),
            entry.Detail);
    }
}
