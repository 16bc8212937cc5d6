using System.Diagnostics.Metrics;
using Gateway.Audit;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Telemetry;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.FunctionalTests.Intake;

/// <summary>What the refusal boundary writes for a call, as a plain function of the call and the refusal recorded on it.</summary>
public sealed class RefusalBoundaryRulesTests : IDisposable
{
    private const string SubmitReferral = "/interagency.v1.ReferralService/SubmitReferral";

    private readonly RecordingAuditLog _log = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RefusalBoundary _boundary;

    public RefusalBoundaryRulesTests() =>
        _boundary = new RefusalBoundary(
            _log,
            Microsoft.Extensions.Options.Options.Create(new UnauthenticatedRefusalOptions()),
            new FakeTimeProvider(),
            new GatewayMetrics(_meters.GetRequiredService<IMeterFactory>(), () => 0),
            NullLogger<RefusalBoundary>.Instance);

    public void Dispose()
    {
        _boundary.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task A_refusal_before_the_identity_check_keeps_the_agency_the_call_claims()
    {
        var call = Call(SubmitReferral, ("x-liaison-agency", "CN/PLO-RU"));
        _ = RefusalBoundary.Refuse(call, new CallRefusal(StatusCode.Internal, "malformed_frame", "The body is not gRPC framing.", []));

        await _boundary.AuditCallAsync(call);

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(AuditKinds.IntakeRefused, entry.Kind);
        Assert.Equal("unauthenticated:CN/PLO-RU", entry.Actor);
        Assert.Equal(new AuditDetails { Rpc = SubmitReferral, Code = "Internal", Reason = "malformed_frame", Fields = [] }, entry.Details);
    }

    [Fact]
    public async Task The_identity_check_refused_claim_is_not_recorded_and_only_a_uuid_is_kept_as_the_message_id()
    {
        var id = Guid.NewGuid().ToString();
        var refused = new CallRefusal(StatusCode.Unauthenticated, "caller_unknown", "No known agency.", []) { ClaimRefused = true };

        await _boundary.AuditAsync(Call(SubmitReferral, ("x-liaison-agency", "CN/NOBODY")), refused with { MessageId = id }, default);
        await _boundary.AuditAsync(Call(SubmitReferral), refused with { MessageId = "ZHANG Wei" }, default);

        Assert.All(_log.Entries, e => Assert.Equal("unauthenticated", e.Actor));
        Assert.Equal([id, null], _log.Entries.Select(e => e.MessageId));
    }

    [Fact]
    public async Task A_refused_operator_call_is_an_operator_call_entry_with_the_fields_at_fault_and_no_scope()
    {
        var call = Call("/interagency.v1.OperationsService/ListDeadLetters");
        _ = RefusalBoundary.Refuse(call, new CallRefusal(StatusCode.InvalidArgument, "page_token", "Not a page token of this list.", [new FieldError("page_token", "must be a token")]));

        await _boundary.AuditCallAsync(call);

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(AuditKinds.OperatorCall, entry.Kind);
        Assert.Equal("unauthenticated", entry.Actor);
        Assert.Null(entry.Details.Scope);
        Assert.Equal(["page_token"], entry.Details.Fields);
    }

    [Fact]
    public async Task A_path_nothing_serves_is_audited_unimplemented_with_the_path_cut_to_200_characters()
    {
        var path = "/" + new string('x', 300);
        var call = Call(path);
        call.Response.StatusCode = StatusCodes.Status404NotFound;

        await _boundary.AuditCallAsync(call);

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(path[..200], entry.Details.Rpc);
        Assert.Equal(("Unimplemented", "transport"), (entry.Details.Code, entry.Details.Reason));
    }

    [Theory]
    [InlineData(SubmitReferral, StatusCode.OK)]
    [InlineData(SubmitReferral, StatusCode.Cancelled)]
    [InlineData(SubmitReferral, StatusCode.DeadlineExceeded)]
    [InlineData("/grpc.health.v1.Health/Check", StatusCode.Unavailable)]
    public async Task A_call_no_step_refused_that_ended_well_by_its_client_or_outside_the_interagency_services_is_not_audited(string path, StatusCode code)
    {
        var call = Call(path);
        call.Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await _boundary.AuditCallAsync(call);

        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task A_call_gRPC_refused_before_any_step_ran_is_audited_with_its_status_code_as_a_transport_refusal()
    {
        var call = Call(SubmitReferral);
        call.Response.Headers["grpc-status"] = ((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await _boundary.AuditCallAsync(call);

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(("ResourceExhausted", "transport"), (entry.Details.Code, entry.Details.Reason));
    }

    [Fact]
    public async Task A_call_its_client_reset_is_not_audited_unless_a_step_refused_it()
    {
        using var reset = new CancellationTokenSource();
        await reset.CancelAsync();
        var unrefused = Call(SubmitReferral);
        unrefused.RequestAborted = reset.Token;
        unrefused.Response.StatusCode = StatusCodes.Status404NotFound;
        var refused = Call(SubmitReferral);
        refused.RequestAborted = reset.Token;
        _ = RefusalBoundary.Refuse(refused, new CallRefusal(StatusCode.InvalidArgument, "schema", "Not the schema.", []));

        await _boundary.AuditCallAsync(unrefused);
        await _boundary.AuditCallAsync(refused);

        Assert.Equal("schema", Assert.Single(_log.Entries).Details.Reason);
    }

    private static DefaultHttpContext Call(string path, params (string Name, string Value)[] headers)
    {
        var call = new DefaultHttpContext();
        call.Request.Path = path;
        call.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        foreach (var (name, value) in headers)
        {
            call.Request.Headers[name] = value;
        }

        return call;
    }

    private sealed class RecordingAuditLog : IAuditLog
    {
        public List<AuditEntry> Entries { get; } = [];

        public Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
        {
            Entries.AddRange(entries);
            return Task.FromResult((long)Entries.Count);
        }

        public IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
