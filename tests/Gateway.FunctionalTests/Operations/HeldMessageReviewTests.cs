using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;
using ReviewDecision = Interagency.V1.ReviewDecision;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Operations;

/// <summary>
/// Human review of held messages through OperationsService, over 127.0.0.1: a request whose offence is of a political,
/// military, religious or racial character waits, listed with its content, until a reviewer releases or refuses it.
/// </summary>
public class HeldMessageReviewTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly OperationsService.OperationsServiceClient _operations = new(server.Channel);
    private readonly FugitiveService.FugitiveServiceClient _fugitive = new(server.Channel);

    [Fact]
    public async Task A_held_request_is_listed_with_its_content_and_a_release_makes_its_deliveries_pending_and_is_audited()
    {
        var request = await HeldRequestAsync(OffenceCharacter.Military);

        var held = Assert.Single(
            (await _operations.ListHeldMessagesAsync(new() { PageSize = 500 }, AsOperator("legal-officer.1"))).HeldMessages,
            m => m.MessageId == request.Header.MessageId);
        Assert.Equal(("LocationRequest", request.Header.CaseReference, "CN/MPS"), (held.Kind, held.CaseReference, held.Sender));
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], held.Recipients);
        Assert.Equal(request, held.Content.Unpack<RequestLocationRequest>());

        // Being shown a message's content is on record: who, which message, through which call.
        var consulted = Assert.Single(await AuditAsync(server.Store, AuditKinds.MessageConsulted), r => r.MessageId == request.Header.MessageId);
        Assert.Equal(("operator:legal-officer.1", "ListHeldMessages"), (consulted.Actor, consulted.Details.Via));

        var response = await _operations.ReviewHeldMessageAsync(
            new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Release, Reason = "desertion charge is ordinary crime here" },
            AsOperator("legal-officer.1"));

        Assert.Equal((request.Header.MessageId, ReviewDecision.Release), (response.MessageId, response.Decision));
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], response.Recipients);
        Assert.All(await server.Store.GetDeliveriesAsync(request.Header.MessageId, default), d => Assert.Equal(DeliveryState.Pending, d.State));
        Assert.DoesNotContain(await ListAllHeldAsync(), m => m.MessageId == request.Header.MessageId);
        var review = Assert.Single(await AuditAsync(server.Store, AuditKinds.MessageReleasedOnReview), r => r.MessageId == request.Header.MessageId);
        Assert.Equal("operator:legal-officer.1", review.Actor);
        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], review.Details.Recipients);
        Assert.Equal("desertion charge is ordinary crime here", review.Details.Justification?.Text);
        Assert.Contains(await AuditAsync(server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:legal-officer.1"
            && r.Details.Rpc == "/interagency.v1.OperationsService/ReviewHeldMessage" && r.Details.Code == "OK"
            && r.Details.Scope == $"message={request.Header.MessageId} decision=Release");
    }

    [Fact]
    public async Task A_refusal_is_final_and_a_second_decision_fails_its_precondition_naming_the_message_id()
    {
        var request = await HeldRequestAsync(OffenceCharacter.Political);
        await _operations.ReviewHeldMessageAsync(
            new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Refuse, Reason = "article 3" }, AsOperator("legal-officer.2"));

        var status = await StatusAssert.Refused(
            () => _operations.ReviewHeldMessageAsync(
                new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Release, Reason = "second opinion" }, AsOperator("legal-officer.3")).ResponseAsync,
            StatusCode.FailedPrecondition,
            "message_id");

        Assert.Equal("NOT_HELD_FOR_REVIEW", status.GetDetail<ErrorInfo>().Reason);
        Assert.All(await server.Store.GetDeliveriesAsync(request.Header.MessageId, default), d => Assert.Equal(DeliveryState.RefusedOnReview, d.State));
        Assert.Single(await AuditAsync(server.Store, AuditKinds.MessageRefusedOnReview), r => r.MessageId == request.Header.MessageId);
        Assert.DoesNotContain(await AuditAsync(server.Store, AuditKinds.MessageReleasedOnReview), r => r.MessageId == request.Header.MessageId);
        Assert.Contains(await AuditAsync(server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:legal-officer.3"
            && r.Details.Rpc == "/interagency.v1.OperationsService/ReviewHeldMessage" && r.Details.Code == "FailedPrecondition"
            && r.Details.Reason == "not_held_for_review");
    }

    [Fact]
    public async Task A_decision_on_an_unknown_message_is_not_found_and_on_an_ordinary_one_fails_its_precondition()
    {
        await StatusAssert.Refused(
            () => _operations.ReviewHeldMessageAsync(
                new() { MessageId = Guid.NewGuid().ToString(), Decision = ReviewDecision.Release, Reason = "r" }, AsOperator()).ResponseAsync,
            StatusCode.NotFound,
            "message_id");

        var ordinary = Samples.LocationRequest();
        await _fugitive.RequestLocationAsync(ordinary, GatewayServer.As(ordinary.Header.Sender));
        await StatusAssert.Refused(
            () => _operations.ReviewHeldMessageAsync(
                new() { MessageId = ordinary.Header.MessageId, Decision = ReviewDecision.Refuse, Reason = "r" }, AsOperator()).ResponseAsync,
            StatusCode.FailedPrecondition,
            "message_id");
        Assert.All(await server.Store.GetDeliveriesAsync(ordinary.Header.MessageId, default), d => Assert.Equal(DeliveryState.Pending, d.State));
    }

    [Fact]
    public async Task A_held_request_withdrawn_by_its_sender_leaves_the_list_and_can_no_longer_be_released()
    {
        var request = await HeldRequestAsync(OffenceCharacter.Political);
        var withdrawal = new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/MPS"),
            Withdrawal = new Withdrawal { RequestMessageId = request.Header.MessageId, Reason = WithdrawalReason.Returned },
        };
        withdrawal.Header.CaseReference = request.Header.CaseReference;

        // Nobody ever received the held request, so nobody needs the withdrawal.
        Assert.Empty((await _fugitive.WithdrawRequestAsync(withdrawal, GatewayServer.As("CN/MPS"))).Receipt.ResolvedRecipients);

        Assert.DoesNotContain(await ListAllHeldAsync(), m => m.MessageId == request.Header.MessageId);
        await StatusAssert.Refused(
            () => _operations.ReviewHeldMessageAsync(
                new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Release, Reason = "too late" }, AsOperator()).ResponseAsync,
            StatusCode.FailedPrecondition,
            "message_id");
        Assert.All(await server.Store.GetDeliveriesAsync(request.Header.MessageId, default), d => Assert.Equal(DeliveryState.Withdrawn, d.State));
    }

    [Fact]
    public async Task A_decision_from_an_agency_rather_than_an_operator_is_unauthenticated_and_changes_nothing()
    {
        var request = await HeldRequestAsync(OffenceCharacter.Political);

        await StatusAssert.Refused(
            () => _operations.ReviewHeldMessageAsync(
                new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Release, Reason = "let it through" },
                GatewayServer.As("CN/MPS")).ResponseAsync,
            StatusCode.Unauthenticated);

        Assert.All(await server.Store.GetDeliveriesAsync(request.Header.MessageId, default), d => Assert.Equal(DeliveryState.HeldForReview, d.State));
        Assert.DoesNotContain(await AuditAsync(server.Store, AuditKinds.MessageReleasedOnReview), r => r.MessageId == request.Header.MessageId);
    }

    [Fact]
    public async Task A_decision_without_a_reason_or_a_decision_is_refused_with_both_fields_and_changes_nothing()
    {
        var request = await HeldRequestAsync(OffenceCharacter.Religious);

        var status = await StatusAssert.Refused(
            () => _operations.ReviewHeldMessageAsync(new() { MessageId = request.Header.MessageId }, AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument);

        Assert.Equal(["decision", "reason"], status.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).Order());
        Assert.All(await server.Store.GetDeliveriesAsync(request.Header.MessageId, default), d => Assert.Equal(DeliveryState.HeldForReview, d.State));
    }

    [Fact]
    public async Task Held_messages_page_by_acceptance_and_a_dead_letter_page_token_is_refused()
    {
        var requests = new List<RequestLocationRequest>();
        for (var i = 0; i < 3; i++)
        {
            requests.Add(await HeldRequestAsync(OffenceCharacter.Racial));
        }

        var listed = new List<string>();
        var pages = 0;
        var token = string.Empty;
        do
        {
            var page = await _operations.ListHeldMessagesAsync(new() { PageSize = 2, PageToken = token }, AsOperator());
            Assert.InRange(page.HeldMessages.Count, 1, 2);
            listed.AddRange(page.HeldMessages.Select(m => m.MessageId));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 100);

        Assert.Equal(requests.Select(r => r.Header.MessageId), listed.Where(requests.Select(r => r.Header.MessageId).Contains));
        Assert.Equal(listed.Distinct(), listed);
        var deadLetterToken = PageTokenOfDeadLetters();
        await StatusAssert.Refused(
            () => _operations.ListHeldMessagesAsync(new() { PageToken = deadLetterToken }, AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument,
            "page_token");
    }

    private static string PageTokenOfDeadLetters() => Gateway.Operations.PageToken.DeadLetters.Write(1);

    private async Task<RequestLocationRequest> HeldRequestAsync(OffenceCharacter character)
    {
        var request = Samples.LocationRequest("RU", "TH", "US");
        request.Request.Charges[0].Offence.Character = character;
        var receipt = (await _fugitive.RequestLocationAsync(request, GatewayServer.As(request.Header.Sender))).Receipt;
        Assert.Equal(Interagency.V1.MessageState.HeldForReview, receipt.State);
        return request;
    }

    private async Task<List<Interagency.V1.HeldMessage>> ListAllHeldAsync()
    {
        var all = new List<Interagency.V1.HeldMessage>();
        var request = new ListHeldMessagesRequest { PageSize = 500 };
        do
        {
            var page = await _operations.ListHeldMessagesAsync(request, AsOperator());
            all.AddRange(page.HeldMessages);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return all;
    }
}
