using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Operations;

/// <summary>Listing and replaying dead letters through OperationsService, over 127.0.0.1.</summary>
public class DeadLetterTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly OperationsService.OperationsServiceClient _client = new(server.Channel);

    [Fact]
    public async Task Listing_filters_and_pages_through_every_dead_letter_once_in_delivery_order()
    {
        var expected = new List<TestDelivery>();
        for (var i = 0; i < 7; i++)
        {
            expected.Add(await DeadLetterAsync(server.Store, "CN/OPS-PAGES", "CASE-PAGES"));
        }

        await DeadLetterAsync(server.Store, "CN/OPS-PAGES", "CASE-OTHER");
        await DeadLetterAsync(server.Store, "CN/OPS-ELSE", "CASE-PAGES");
        var filter = new DeadLetterFilter { Recipient = "CN/OPS-PAGES", CaseReference = "CASE-PAGES" };

        var pages = new List<ListDeadLettersResponse>();
        var token = string.Empty;
        do
        {
            var page = await _client.ListDeadLettersAsync(new() { Filter = filter, PageSize = 3, PageToken = token }, AsOperator());
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token.Length > 0 && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(p => p.DeadLetters.Count));
        Assert.Equal(expected.Select(d => d.Text), pages.SelectMany(p => p.DeadLetters).Select(d => d.DeliveryId));
        var first = pages[0].DeadLetters[0];
        Assert.Equal(("Referral", "CASE-PAGES", "CN/PLO-RU", "CN/OPS-PAGES", 1u, "Unavailable: endpoint down"),
            (first.Kind, first.CaseReference, first.Sender, first.Recipient, first.Attempts, first.LastError));
        Assert.True(first.DeadLetteredAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var byRecipient = await _client.ListDeadLettersAsync(new() { Filter = new() { Recipient = "CN/OPS-PAGES" } }, AsOperator());
        Assert.Equal(8, byRecipient.DeadLetters.Count);
        Assert.Empty(byRecipient.NextPageToken);
        var byMessage = await _client.ListDeadLettersAsync(new() { Filter = new() { MessageId = first.MessageId } }, AsOperator());
        Assert.Equal(first.DeliveryId, Assert.Single(byMessage.DeadLetters).DeliveryId);
    }

    [Fact]
    public async Task Replay_by_id_puts_the_delivery_back_to_pending_and_audits_the_operator_and_reason()
    {
        // A replay checks the route again: the recipients are agencies the sample agreements let CN/PLO-RU refer to.
        var replay = await DeadLetterAsync(server.Store, "CN/NCB", "CASE-REPLAY-1");
        var keep = await DeadLetterAsync(server.Store, "CN/NCB", "CASE-REPLAY-2");
        var pending = await PendingAsync(server.Store, "CN/NCB", "CASE-REPLAY-3");

        var response = await _client.ReplayDeadLettersAsync(
            new() { DeliveryIds = { replay.Text, pending.Text, "9999999999999999999" }, Reason = "endpoint repaired" }, AsOperator());

        Assert.Equal([replay.Text], response.ReplayedDeliveryIds);
        var replayed = await DeliveryAsync(replay);
        Assert.Equal((DeliveryState.Pending, true, 0), (replayed.State, replayed.Replayed, replayed.Attempts));
        Assert.Equal(DeliveryState.DeadLettered, (await DeliveryAsync(keep)).State);
        Assert.False((await DeliveryAsync(pending)).Replayed);
        var audit = Assert.Single(await AuditAsync(server.Store, AuditKinds.DeliveryReplayed), r => r.Details.Delivery == replay.Id);
        Assert.Equal("operator:" + Operator, audit.Actor);
        Assert.Equal("endpoint repaired", audit.Details.Justification?.Text);
        Assert.Contains(await AuditAsync(server.Store, AuditKinds.OperatorCall), r =>
            r.Actor == "operator:" + Operator && r.Details.Rpc == "/interagency.v1.OperationsService/ReplayDeadLetters" && r.Details.Code == "OK"
            && r.Details.Scope == $"ids={replay.Text},{pending.Text},9999999999999999999");
    }

    [Fact]
    public async Task Replay_by_filter_replays_every_matching_dead_letter_and_nothing_else()
    {
        var first = await DeadLetterAsync(server.Store, "CN/FJPSD", "CASE-FILTER-1");
        var second = await DeadLetterAsync(server.Store, "CN/FJPSD", "CASE-FILTER-2");
        var other = await DeadLetterAsync(server.Store, "CN/MPS", "CASE-FILTER-1");

        var response = await _client.ReplayDeadLettersAsync(
            new() { Filter = new() { Recipient = "CN/FJPSD" }, Reason = "partner back online" }, AsOperator("night-shift.2"));

        Assert.Equal([first.Text, second.Text], response.ReplayedDeliveryIds);
        Assert.All(new[] { await DeliveryAsync(first), await DeliveryAsync(second) }, d => Assert.Equal((DeliveryState.Pending, true), (d.State, d.Replayed)));
        Assert.Equal(DeliveryState.DeadLettered, (await DeliveryAsync(other)).State);
        var audits = (await AuditAsync(server.Store, AuditKinds.DeliveryReplayed)).Where(r => r.Actor == "operator:night-shift.2").ToList();
        Assert.Equal(2, audits.Count);
        Assert.All(audits, r => Assert.Equal("partner back online", r.Details.Justification?.Text));
        Assert.Empty((await _client.ListDeadLettersAsync(new() { Filter = new() { Recipient = "CN/FJPSD" } }, AsOperator())).DeadLetters);
    }

    [Fact]
    public async Task A_dead_letter_no_route_agreement_in_effect_allows_is_not_replayed_and_the_refused_replay_is_audited()
    {
        // No agreement lets CN/PLO-RU reach an agency the directory does not (or no longer) know.
        var gone = await DeadLetterAsync(server.Store, "CN/OPS-GONE", "CASE-GONE");

        var response = await _client.ReplayDeadLettersAsync(new() { DeliveryIds = { gone.Text }, Reason = "try again" }, AsOperator("night-shift.3"));

        Assert.Empty(response.ReplayedDeliveryIds);
        Assert.Equal([gone.Text], response.NotAgreedDeliveryIds);
        Assert.Equal(DeliveryState.DeadLettered, (await DeliveryAsync(gone)).State);
        var refused = Assert.Single(await AuditAsync(server.Store, AuditKinds.DeliveryReplayRefused), r => r.Details.Delivery == gone.Id);
        Assert.Equal(("operator:night-shift.3", "route_not_agreed"), (refused.Actor, refused.Details.Reason));
        Assert.DoesNotContain(await AuditAsync(server.Store, AuditKinds.DeliveryReplayed), r => r.Details.Delivery == gone.Id);
    }

    [Fact]
    public async Task A_page_size_over_500_is_refused_with_its_field_and_audited()
    {
        await StatusAssert.Refused(
            () => _client.ListDeadLettersAsync(new() { PageSize = 501 }, AsOperator("size-checker")).ResponseAsync,
            StatusCode.InvalidArgument,
            "page_size");

        var audit = Assert.Single(await AuditAsync(server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:size-checker");
        Assert.Equal(new AuditDetails { Rpc = audit.Details.Rpc, Code = "InvalidArgument", Reason = "schema", Fields = ["page_size"] }, audit.Details);
        Assert.Empty(await AuditAsync(server.Store, AuditKinds.IntakeRefused));
    }

    [Fact]
    public async Task A_page_token_the_gateway_did_not_give_out_is_refused()
    {
        await StatusAssert.Refused(
            () => _client.ListDeadLettersAsync(new() { PageToken = "not-a-token" }, AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument,
            "page_token");
    }

    [Fact]
    public async Task A_replay_without_a_reason_is_refused()
    {
        var id = await DeadLetterAsync(server.Store, "CN/OPS-NOREASON", "CASE-NOREASON");

        await StatusAssert.Refused(
            () => _client.ReplayDeadLettersAsync(new() { DeliveryIds = { id.Text } }, AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument,
            "reason");

        Assert.Equal(DeliveryState.DeadLettered, (await DeliveryAsync(id)).State);
    }

    private Task<DeliveryRecord> DeliveryAsync(TestDelivery delivery) => FindAsync(server.Store, delivery);
}
