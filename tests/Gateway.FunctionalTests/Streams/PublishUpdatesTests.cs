using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Receipts;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Streams;

/// <summary>A foreign partner's PublishUpdates stream over a real socket: acknowledged after commit, in order, refusals inline.</summary>
public sealed class PublishUpdatesTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly CaseUpdateService.CaseUpdateServiceClient _client = new(server.Channel);

    [Fact]
    public async Task Updates_are_acknowledged_in_order_each_only_once_it_is_committed_and_go_to_the_other_parties_of_the_case()
    {
        var caseReference = await OpenCaseAsync("AR-PFA-2026-0100");
        var updates = Enumerable.Range(0, 50).Select(_ => Samples.StatusUpdate("AR/PFA", caseReference)).ToList();

        using var call = _client.PublishUpdates(GatewayServer.As("AR/PFA"));
        var sending = Task.Run(async () =>
        {
            foreach (var update in updates)
            {
                await call.RequestStream.WriteAsync(update);
            }

            await call.RequestStream.CompleteAsync();
        });
        var acks = new List<PublishUpdatesResponse>();
        await foreach (var ack in call.ResponseStream.ReadAllAsync())
        {
            // Committed before it was acknowledged: the store has it the moment the acknowledgement arrives.
            Assert.NotNull(await server.Store.FindMessageAsync(ack.MessageId, default));
            acks.Add(ack);
        }

        await sending;
        Assert.Equal(updates.Select(u => u.Header.MessageId), acks.Select(a => a.MessageId));
        Assert.All(acks, a => Assert.Equal((UpdateOutcome.Accepted, "CN/MPS"), (a.Outcome, a.Receipt.ResolvedRecipients.Single())));
        Assert.Equal(acks.Select(a => a.Receipt.AuditSequence).Order(), acks.Select(a => a.Receipt.AuditSequence));
    }

    [Fact]
    public async Task A_refused_update_gets_a_refusal_acknowledgement_and_the_stream_stays_open()
    {
        var caseReference = await OpenCaseAsync("AR-PFA-2026-0101");
        var bad = Samples.StatusUpdate("AR/PFA", caseReference);
        bad.Update.StatusChange.Status = CaseStatus.Unspecified;
        var notMine = Samples.StatusUpdate("AR/PFA", "AR-PFA-2026-NOPE");
        var good = Samples.StatusUpdate("AR/PFA", caseReference);

        var acks = await PublishAsync("AR/PFA", bad, notMine, good, good);

        Assert.Equal([UpdateOutcome.Refused, UpdateOutcome.Refused, UpdateOutcome.Accepted, UpdateOutcome.Duplicate], acks.Select(a => a.Outcome));
        Assert.Equal((int)Grpc.Core.StatusCode.InvalidArgument, acks[0].Refusal.Code);
        var badRequest = acks[0].Refusal.Details.Single(d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>();
        Assert.Contains("update.status_change.status", badRequest.FieldViolations.Select(v => v.Field));
        Assert.Equal((int)Grpc.Core.StatusCode.NotFound, acks[1].Refusal.Code);
        Assert.Equal(acks[2].Receipt.SignedFields(), acks[3].Receipt.SignedFields());
        Assert.Null(await server.Store.FindMessageAsync(bad.Header.MessageId, default));
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Contains(audit, a => a.Kind == AuditKinds.IntakeRefused && a.MessageId == bad.Header.MessageId);
    }

    [Fact]
    public async Task An_agency_that_takes_no_part_in_the_case_may_not_publish_to_it_and_learns_nothing_of_it()
    {
        var caseReference = await OpenCaseAsync("AR-PFA-2026-0102");

        var ack = Assert.Single(await PublishAsync("US/FBI", Samples.StatusUpdate("US/FBI", caseReference)));
        var none = Assert.Single(await PublishAsync("US/FBI", Samples.StatusUpdate("US/FBI", "AR-PFA-2026-NONE")));

        // The same answer as for a reference no case has: the refusal does not tell that another agency's case exists.
        Assert.Equal(UpdateOutcome.Refused, ack.Outcome);
        Assert.Equal((int)Grpc.Core.StatusCode.NotFound, ack.Refusal.Code);
        Assert.Equal(none.Refusal.Code, ack.Refusal.Code);
        Assert.Equal(none.Refusal.Message, ack.Refusal.Message);
    }

    [Fact]
    public async Task A_hold_release_published_as_a_case_update_releases_the_hold_only_from_the_release_party()
    {
        var referral = Samples.Referral();
        referral.Header.CaseReference = "CN-FJ-2026-0103";
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        PublishUpdatesRequest Release(string sender)
        {
            var update = Samples.StatusUpdate(sender, referral.Header.CaseReference);
            update.Update = new CaseUpdate { HoldRelease = new HoldRelease { ReferralMessageId = referral.Header.MessageId, Remarks = "victim freed" } };
            return update;
        }

        var refused = Assert.Single(await PublishAsync("CN/FJPSD", Release("CN/FJPSD")));
        var released = Assert.Single(await PublishAsync("RU/MVD", Release("RU/MVD")));

        Assert.Equal((int)Grpc.Core.StatusCode.PermissionDenied, refused.Refusal.Code);
        Assert.Equal(UpdateOutcome.Accepted, released.Outcome);
        Assert.Equal(HoldState.Released, (await server.Store.FindHoldAsync(referral.Header.MessageId, default))!.State);
    }

    /// <summary>A referral from the Argentine federal police to the ministry opens the case.</summary>
    private async Task<string> OpenCaseAsync(string caseReference)
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", caseReference);
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        return caseReference;
    }

    private async Task<List<PublishUpdatesResponse>> PublishAsync(string agency, params PublishUpdatesRequest[] updates)
    {
        using var call = _client.PublishUpdates(GatewayServer.As(agency));
        foreach (var update in updates)
        {
            await call.RequestStream.WriteAsync(update);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }
}
