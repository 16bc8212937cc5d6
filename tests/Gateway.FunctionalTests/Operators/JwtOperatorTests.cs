using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Identity.Operators;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;
using static Gateway.FunctionalTests.Operators.JwtOperatorGateway;
using ReviewDecision = Interagency.V1.ReviewDecision;

namespace Gateway.FunctionalTests.Operators;

/// <summary>
/// Operators by signed token over 127.0.0.1: a call without a token the gateway trusts is UNAUTHENTICATED, one whose
/// token lacks the method's role PERMISSION_DENIED, each audited once; what is allowed is audited under the token's subject.
/// </summary>
public class JwtOperatorTests(JwtOperatorGateway gateway) : IClassFixture<JwtOperatorGateway>
{
    private const string DutySubject = "f47ac10b-58cc-4372-a567-0e02b2c3d479";

    private const string ReviewerSubject = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ";

    private const string ListDeadLetters = "/interagency.v1.OperationsService/ListDeadLetters";

    private readonly OperationsService.OperationsServiceClient _operations = new(gateway.Server.Channel);

    private GatewayServer Server => gateway.Server;

    public static TheoryData<string, string> Refusals => new()
    {
        { "no token", "OPERATOR_TOKEN_MISSING" },
        { "expired", "OPERATOR_TOKEN_EXPIRED" },
        { "wrong issuer", "OPERATOR_TOKEN_INVALID" },
        { "wrong audience", "OPERATOR_TOKEN_INVALID" },
        { "wrong signing key", "OPERATOR_TOKEN_INVALID" },
        { "not yet valid", "OPERATOR_TOKEN_INVALID" },
        { "not a JWT", "OPERATOR_TOKEN_INVALID" },
        { "a development operator header", "OPERATOR_TOKEN_MISSING" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_call_without_a_token_the_gateway_trusts_is_unauthenticated_and_audited_once_without_the_token(string what, string reason)
    {
        using var stranger = TestTokenIssuer.Es256();
        string[] duty = [OperatorRoles.DutyOperator];
        var token = what switch
        {
            "no token" => null,
            "expired" => gateway.Issuer.Mint(DutySubject, duty, notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1)),
            "wrong issuer" => gateway.Issuer.Mint(DutySubject, duty, issuer: "https://sso.other.example/realms/liaison"),
            "wrong audience" => gateway.Issuer.Mint(DutySubject, duty, audience: "another-service"),
            "wrong signing key" => stranger.Mint(DutySubject, duty),
            "not yet valid" => gateway.Issuer.Mint(DutySubject, duty, notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2)),
            "not a JWT" => "not-a-token",
            "a development operator header" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var headers = token is null ? new Metadata() : Bearer(token);
        if (what == "a development operator header")
        {
            headers.Add("x-liaison-operator", "duty-officer-1");
        }

        var before = (await AuditAsync(Server.Store, AuditKinds.OperatorCall)).Count;

        var status = await StatusAssert.Refused(
            () => _operations.ListDeadLettersAsync(new ListDeadLettersRequest(), headers).ResponseAsync, StatusCode.Unauthenticated);

        Assert.Equal(reason, status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains(reason == "OPERATOR_TOKEN_EXPIRED" ? "new one" : TestTokenIssuer.DefaultIssuer, status.Message, StringComparison.Ordinal);
        if (token is not null)
        {
            Assert.DoesNotContain(token, status.Message, StringComparison.Ordinal);
        }

        var audit = await AuditAsync(Server.Store, AuditKinds.OperatorCall);
        Assert.Equal(before + 1, audit.Count);
        Assert.Equal("unauthenticated", audit[^1].Actor);
        Assert.Equal(
            new AuditDetails { Rpc = ListDeadLetters, Code = "Unauthenticated", Reason = reason.ToLowerInvariant() },
            audit[^1].Details);
    }

    [Fact]
    public async Task A_duty_operator_with_an_es256_token_is_audited_under_the_token_subject()
    {
        var token = gateway.Issuer.Mint(DutySubject, [OperatorRoles.DutyOperator]);

        await _operations.ListDeadLettersAsync(new() { Filter = new() { CaseReference = "CASE-JWT-ES" }, PageSize = 7 }, Bearer(token));

        var audit = Assert.Single(await AuditAsync(Server.Store, AuditKinds.OperatorCall), r => r.Details.Scope == "case=CASE-JWT-ES page_size=7");
        Assert.Equal(("operator:" + DutySubject, "OK"), (audit.Actor, audit.Details.Code));
    }

    [Fact]
    public async Task An_rs256_token_from_the_second_configured_key_is_accepted()
    {
        var token = gateway.RsaIssuer.Mint("rsa-operator.1", [OperatorRoles.DutyOperator]);

        var agencies = await _operations.ListAgenciesAsync(new ListAgenciesRequest(), Bearer(token));

        Assert.NotEmpty(agencies.Agencies);
        Assert.Contains(await AuditAsync(Server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:rsa-operator.1" && r.Details.Code == "OK");
    }

    [Fact]
    public async Task A_reviewer_cannot_replay_and_the_refusal_is_audited_under_its_subject()
    {
        var delivery = await DeadLetterAsync(Server.Store, "CN/OPS-JWT", "CASE-JWT-REPLAY");
        var token = gateway.Issuer.Mint(ReviewerSubject, [OperatorRoles.LegalReviewer]);

        var status = await StatusAssert.Refused(
            () => _operations.ReplayDeadLettersAsync(new() { DeliveryIds = { delivery.Text }, Reason = "try" }, Bearer(token)).ResponseAsync,
            StatusCode.PermissionDenied);

        Assert.Equal("OPERATOR_ROLE_MISSING", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains(OperatorRoles.DutyOperator, status.Message, StringComparison.Ordinal);
        Assert.Equal(DeliveryState.DeadLettered, (await FindAsync(Server.Store, delivery)).State);
        var audit = Assert.Single(
            await AuditAsync(Server.Store, AuditKinds.OperatorCall),
            r => r.Actor == "operator:" + ReviewerSubject && r.Details.Rpc == "/interagency.v1.OperationsService/ReplayDeadLetters");
        Assert.Equal(("PermissionDenied", "operator_role_missing"), (audit.Details.Code, audit.Details.Reason));
    }

    [Fact]
    public async Task A_duty_operator_cannot_review_a_held_message()
    {
        var request = await HeldRequestAsync();
        var token = gateway.Issuer.Mint("duty.reviewing", [OperatorRoles.DutyOperator]);

        var status = await StatusAssert.Refused(
            () => _operations.ReviewHeldMessageAsync(
                new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Release, Reason = "not mine to decide" }, Bearer(token)).ResponseAsync,
            StatusCode.PermissionDenied);

        Assert.Equal("OPERATOR_ROLE_MISSING", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.All(await Server.Store.GetDeliveriesAsync(request.Header.MessageId, default), d => Assert.Equal(DeliveryState.HeldForReview, d.State));
        Assert.DoesNotContain(await AuditAsync(Server.Store, AuditKinds.MessageReleasedOnReview), r => r.MessageId == request.Header.MessageId);
    }

    [Fact]
    public async Task A_reviewer_decision_is_audited_under_the_token_subject()
    {
        var request = await HeldRequestAsync();
        var token = gateway.Issuer.Mint(ReviewerSubject, [OperatorRoles.LegalReviewer]);

        Assert.Contains(
            (await _operations.ListHeldMessagesAsync(new() { PageSize = 500 }, Bearer(token))).HeldMessages,
            m => m.MessageId == request.Header.MessageId);
        await _operations.ReviewHeldMessageAsync(
            new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Release, Reason = "ordinary crime here" }, Bearer(token));

        var review = Assert.Single(await AuditAsync(Server.Store, AuditKinds.MessageReleasedOnReview), r => r.MessageId == request.Header.MessageId);
        Assert.Equal("operator:" + ReviewerSubject, review.Actor);
        Assert.Contains(await AuditAsync(Server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:" + ReviewerSubject
            && r.Details.Rpc == "/interagency.v1.OperationsService/ReviewHeldMessage" && r.Details.Code == "OK"
            && r.Details.Scope == $"message={request.Header.MessageId} decision=Release");
    }

    [Fact]
    public async Task A_token_whose_subject_is_an_email_address_is_refused()
    {
        var token = gateway.Issuer.Mint("jane.doe@police.example", [OperatorRoles.DutyOperator]);

        var status = await StatusAssert.Refused(
            () => _operations.ListRoutesAsync(new ListRoutesRequest(), Bearer(token)).ResponseAsync, StatusCode.Unauthenticated);

        Assert.Equal("OPERATOR_TOKEN_INVALID", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.DoesNotContain("jane", status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditAsync(Server.Store, AuditKinds.OperatorCall), r => r.Actor.Contains("jane", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_duty_operator_traces_any_agency_message_with_a_token_and_a_reviewer_may_not()
    {
        var referral = Samples.Referral("CN/PLO-RU", "CN/FJPSD");
        await new ReferralService.ReferralServiceClient(Server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        var trace = new TraceService.TraceServiceClient(Server.Channel);

        var seen = await trace.GetMessageTraceAsync(
            new() { MessageId = referral.Header.MessageId }, Bearer(gateway.Issuer.Mint(DutySubject, [OperatorRoles.DutyOperator])));
        var refused = await StatusAssert.Refused(
            () => trace.GetMessageTraceAsync(
                new() { MessageId = referral.Header.MessageId }, Bearer(gateway.Issuer.Mint(ReviewerSubject, [OperatorRoles.LegalReviewer]))).ResponseAsync,
            StatusCode.PermissionDenied);

        Assert.Equal(referral.Header.MessageId, seen.Message.MessageId);
        Assert.Equal("OPERATOR_ROLE_MISSING", refused.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains(await AuditAsync(Server.Store, AuditKinds.OperatorCall), r => r.Actor == "operator:" + DutySubject
            && r.Details.Rpc == "/interagency.v1.TraceService/GetMessageTrace" && r.Details.Scope == $"message={referral.Header.MessageId}");
    }

    private async Task<RequestLocationRequest> HeldRequestAsync()
    {
        var request = Samples.LocationRequest("RU", "TH", "US");
        request.Request.Charges[0].Offence.Character = OffenceCharacter.Political;
        var receipt = (await new FugitiveService.FugitiveServiceClient(Server.Channel).RequestLocationAsync(request, GatewayServer.As(request.Header.Sender))).Receipt;
        Assert.Equal(Interagency.V1.MessageState.HeldForReview, receipt.State);
        return request;
    }
}
