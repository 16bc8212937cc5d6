using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Operations;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// Each kind of refusal, whichever step refuses, leaves exactly one refusal entry in the audit log: the refusal
/// boundary writes it, and no step writes one of its own.
/// </summary>
public sealed class RefusalBoundaryTests : IAsyncLifetime, IDisposable
{
    private const int MaxConsecutiveRefusals = 3;

    private readonly GatewayServer _server = new() { ExtraArguments = [$"--Gateway:Streams:Publish:MaxConsecutiveRefusals={MaxConsecutiveRefusals}"] };
    private readonly RawGrpcCall _raw = new();

    private ReferralService.ReferralServiceClient Referrals => new(_server.Channel);

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    public void Dispose() => _raw.Dispose();

    [Fact]
    public async Task An_unidentified_caller_is_audited_once()
    {
        var request = Samples.Referral();

        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => Referrals.SubmitReferralAsync(request, GatewayServer.As("CN/NOBODY")).ResponseAsync, StatusCode.Unauthenticated));

        AssertRefusal(entry, AuditKinds.IntakeRefused, "unauthenticated", StatusCode.Unauthenticated, "caller_unknown");
        Assert.Equal(request.Header.MessageId, entry.MessageId);
    }

    [Fact]
    public async Task A_schema_refusal_is_audited_once()
    {
        var request = Samples.Referral();
        request.Header.MessageId = "42";

        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => Referrals.SubmitReferralAsync(request, GatewayServer.As("CN/PLO-RU")).ResponseAsync, StatusCode.InvalidArgument, "header.message_id"));

        AssertRefusal(entry, AuditKinds.IntakeRefused, "CN/PLO-RU", StatusCode.InvalidArgument, "schema");
        Assert.Empty(entry.MessageId);
    }

    [Fact]
    public async Task A_business_rule_refusal_is_audited_once()
    {
        var request = Samples.Referral(sender: "CN/PLO-RU");

        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => Referrals.SubmitReferralAsync(request, GatewayServer.As("CN/MPS")).ResponseAsync, StatusCode.PermissionDenied, "header.sender"));

        AssertRefusal(entry, AuditKinds.IntakeRefused, "CN/MPS", StatusCode.PermissionDenied, "sender_not_caller");
        Assert.Equal(request.Header.MessageId, entry.MessageId);
    }

    [Fact]
    public async Task A_route_refusal_is_audited_once()
    {
        var request = Samples.Referral("AR/PFA", "RU/MVD");

        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => Referrals.SubmitReferralAsync(request, GatewayServer.As("AR/PFA")).ResponseAsync, StatusCode.PermissionDenied, "header.recipients[0]"));

        AssertRefusal(entry, AuditKinds.IntakeRefused, "AR/PFA", StatusCode.PermissionDenied, "route_not_agreed");
    }

    [Fact]
    public async Task A_message_id_the_store_finds_reused_is_audited_once()
    {
        var first = Samples.Referral();
        await Referrals.SubmitReferralAsync(first, GatewayServer.As("CN/PLO-RU"));
        var other = Samples.Referral();
        other.Header.MessageId = first.Header.MessageId;
        other.Referral.Summary = "A different referral under the same id.";

        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => Referrals.SubmitReferralAsync(other, GatewayServer.As("CN/PLO-RU")).ResponseAsync, StatusCode.AlreadyExists));

        AssertRefusal(entry, AuditKinds.IntakeRefused, "CN/PLO-RU", StatusCode.AlreadyExists, "message_id_reused");
    }

    [Fact]
    public async Task A_broken_frame_is_audited_once()
    {
        var entry = await SingleRefusalAsync(async () =>
        {
            var (status, _) = await _raw.SendAsync(
                _server.Address, "/interagency.v1.ReferralService/SubmitReferral", [0x7F, 0x00, 0x00, 0x00, 0x02, 0x0A, 0x00], ("x-liaison-agency", "CN/PLO-RU"));
            Assert.Equal(StatusCode.Internal, (StatusCode)status);
        });

        AssertRefusal(entry, AuditKinds.IntakeRefused, "unauthenticated:CN/PLO-RU", StatusCode.Internal, "malformed_frame");
    }

    [Fact]
    public async Task A_refused_update_is_audited_once_and_the_stream_stays_open()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0901");
        await Referrals.SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        var bad = Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference);
        bad.Header.MessageId = "not-a-uuid";
        var good = Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference);

        var entry = await SingleRefusalAsync(async () =>
        {
            using var call = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
            await call.RequestStream.WriteAsync(bad);
            await call.RequestStream.WriteAsync(good);
            await call.RequestStream.CompleteAsync();
            var acks = await call.ResponseStream.ReadAllAsync().ToListAsync();
            Assert.Equal([UpdateOutcome.Refused, UpdateOutcome.Accepted], acks.Select(a => a.Outcome));
        });

        AssertRefusal(entry, AuditKinds.IntakeRefused, "AR/PFA", StatusCode.InvalidArgument, "schema");
    }

    [Fact]
    public async Task A_stream_closed_for_too_many_refusals_is_audited_once_with_the_code_it_is_closed_with()
    {
        var before = await _server.Store.ReadAuditAsync(default).CountAsync();
        using var call = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
        for (var i = 0; i < MaxConsecutiveRefusals; i++)
        {
            await call.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", "AR-PFA-2026-NONE"));
        }

        var end = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.ReadAllAsync().ToListAsync().AsTask());

        Assert.Equal(StatusCode.ResourceExhausted, end.StatusCode);
        var refusals = await RefusalsAfterAsync(before);
        Assert.Equal(MaxConsecutiveRefusals + 1, refusals.Count);
        AssertRefusal(refusals[^1], AuditKinds.IntakeRefused, "AR/PFA", StatusCode.ResourceExhausted, "too_many_refusals");
        Assert.All(refusals[..^1], r => Assert.Equal(nameof(StatusCode.NotFound), r.Details.Code));
    }

    [Fact]
    public async Task An_operator_call_that_names_no_operator_is_audited_once()
    {
        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => new OperationsService.OperationsServiceClient(_server.Channel).ListDeadLettersAsync(new()).ResponseAsync, StatusCode.Unauthenticated));

        AssertRefusal(entry, AuditKinds.OperatorCall, "unauthenticated", StatusCode.Unauthenticated, "operator_unknown");
    }

    [Fact]
    public async Task An_operator_call_the_service_refuses_is_audited_once_by_the_boundary_not_as_well_by_the_operator_check()
    {
        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => new OperationsService.OperationsServiceClient(_server.Channel)
                .ListDeadLettersAsync(new() { PageToken = "bm90LWEtdG9rZW4=" }, OperatorFixtures.AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument,
            "page_token"));

        AssertRefusal(entry, AuditKinds.OperatorCall, $"operator:{OperatorFixtures.Operator}", StatusCode.InvalidArgument, "page_token");
    }

    [Fact]
    public async Task An_operator_call_the_schema_refuses_is_audited_once()
    {
        var entry = await SingleRefusalAsync(() => StatusAssert.Refused(
            () => new OperationsService.OperationsServiceClient(_server.Channel)
                .ListDeadLettersAsync(new() { PageSize = 501 }, OperatorFixtures.AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument,
            "page_size"));

        AssertRefusal(entry, AuditKinds.OperatorCall, $"operator:{OperatorFixtures.Operator}", StatusCode.InvalidArgument, "schema");
    }

    private static void AssertRefusal(AuditRecord entry, string kind, string actor, StatusCode code, string reason)
    {
        Assert.Equal(kind, entry.Kind);
        Assert.Equal(actor, entry.Actor);
        Assert.Equal(code.ToString(), entry.Details.Code);
        Assert.Equal(reason, entry.Details.Reason);
    }

    /// <summary>Runs <paramref name="refuse"/> and returns the one refusal entry it added to the audit log.</summary>
    private async Task<AuditRecord> SingleRefusalAsync(Func<Task> refuse)
    {
        var before = await _server.Store.ReadAuditAsync(default).CountAsync();
        await refuse();
        return Assert.Single(await RefusalsAfterAsync(before));
    }

    /// <summary>The refusal entries after the first <paramref name="before"/> entries: any entry of a refusal, or of an operator call not allowed.</summary>
    private async Task<List<AuditRecord>> RefusalsAfterAsync(int before) =>
        await _server.Store.ReadAuditAsync(default)
            .Skip(before)
            .Where(a => a.Kind is AuditKinds.IntakeRefused or AuditKinds.IntakeRefusalsSuppressed
                || (a.Kind == AuditKinds.OperatorCall && a.Details.Code != nameof(StatusCode.OK)))
            .ToListAsync();
}
