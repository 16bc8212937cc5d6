using System.Diagnostics.Metrics;
using System.Globalization;
using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// Floods of calls that cannot grow the audit log without bound: cancelled calls are the client's doing and are not
/// refusals; refusals of callers that are not identified are audited up to a budget per source, then counted.
/// </summary>
public sealed class RefusalAuditFloodTests : IAsyncLifetime, IDisposable
{
    private const string SubmitReferral = "/interagency.v1.ReferralService/SubmitReferral";

    private const int Permits = 10;

    // One window longer than any run of these tests: the counts are written when the gateway stops.
    private readonly GatewayServer _server = new()
    {
        ExtraArguments =
        [
            $"--Gateway:Audit:UnauthenticatedRefusals:PermitsPerWindow={Permits}",
            "--Gateway:Audit:UnauthenticatedRefusals:Window=01:00:00",
        ],
    };
    private readonly RawGrpcCall _raw = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    public void Dispose() => _raw.Dispose();

    [Fact]
    public async Task A_flood_of_cancelled_calls_writes_no_refusal()
    {
        const int Calls = 200;
        using var requests = new MetricCollector<double>(
            _server.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Hosting", "http.server.request.duration");
        var message = Samples.Referral().ToByteArray();
        byte[] frame = [0, .. BitConverter.GetBytes(System.Net.IPAddress.HostToNetworkOrder(message.Length)), .. message];

        // Half stop inside the message, half after all of it but before the end of the request: no identity on either.
        await Parallel.ForAsync(0, Calls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await _raw.CancelAfterAsync(_server.Address, SubmitReferral, frame, i % 2 == 0 ? frame.Length / 2 : frame.Length));
        await requests.WaitForMeasurementsAsync(Calls, TimeSpan.FromSeconds(60));

        var refusals = await _server.Store.ReadAuditAsync(default).Where(a => a.Kind == AuditKinds.IntakeRefused).ToListAsync();
        Assert.True(refusals.Count == 0, string.Join(Environment.NewLine, refusals.Take(5).Select(r => r.Detail)) + $" ({refusals.Count})");
    }

    [Fact]
    public async Task A_flood_of_unauthenticated_refusals_is_audited_up_to_the_budget_then_counted_and_the_chain_holds()
    {
        const int Calls = 500;
        var client = new ReferralService.ReferralServiceClient(_server.Channel);
        await Parallel.ForAsync(0, Calls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            // No identity, or one the directory does not know: both are unidentified callers from this address.
            var headers = i % 2 == 0 ? new Metadata() : GatewayServer.As("CN/NOBODY");
            var error = await Assert.ThrowsAsync<RpcException>(() => client.SubmitReferralAsync(Samples.Referral(), headers).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        });

        // An identified agency's refusals are its own: each is audited, whatever unidentified callers did before.
        for (var i = 0; i < 3; i++)
        {
            var invalid = Samples.Referral();
            invalid.Header.MessageId = "42";
            await StatusAssert.Refused(() => client.SubmitReferralAsync(invalid, GatewayServer.As("CN/PLO-RU")).ResponseAsync, StatusCode.InvalidArgument);
        }

        await _server.StopAsync();

        var audit = await _server.Store.ReadAuditAsync(default).ToListAsync();
        var individual = audit.Count(a => a.Kind == AuditKinds.IntakeRefused && a.Actor == "unauthenticated");
        var counts = audit.Where(a => a.Kind == AuditKinds.IntakeRefusalsSuppressed).ToList();
        Assert.Equal(Permits, individual);
        var count = Assert.Single(counts).Details;
        Assert.Equal(("127.0.0.1", Calls - Permits), (count.Source, count.Count));
        Assert.Equal(3, audit.Count(a => a.Kind == AuditKinds.IntakeRefused && a.Actor == "CN/PLO-RU"));
        Assert.True(AuditVerifier.Verify(audit, await _server.Store.ReadAuditHeadAsync(default)).IsIntact);
    }

    [Fact]
    public async Task A_flood_of_operator_calls_that_name_no_operator_is_audited_up_to_the_budget_then_counted()
    {
        const int Calls = 200;
        var client = new OperationsService.OperationsServiceClient(_server.Channel);
        await Parallel.ForAsync(0, Calls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
            await StatusAssert.Refused(
                () => client.ListDeadLettersAsync(new ListDeadLettersRequest(), GatewayServer.As("CN/MPS")).ResponseAsync,
                StatusCode.Unauthenticated));

        await _server.StopAsync();

        var audit = await _server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(Permits, audit.Count(a => a.Kind == AuditKinds.OperatorCall && a.Actor == "unauthenticated"));
        var count = Assert.Single(audit, a => a.Kind == AuditKinds.IntakeRefusalsSuppressed).Details;
        Assert.Equal(("127.0.0.1", Calls - Permits), (count.Source, count.Count));
        Assert.True(AuditVerifier.Verify(audit, await _server.Store.ReadAuditHeadAsync(default)).IsIntact);
    }

    [Fact]
    public async Task A_window_that_closes_writes_its_count_without_waiting_for_the_next_refusal_or_a_shutdown()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T08:00:00Z", CultureInfo.InvariantCulture));
        using var boundary = new Gateway.Audit.RefusalBoundary(
            _server.Store,
            Microsoft.Extensions.Options.Options.Create(new Gateway.Audit.UnauthenticatedRefusalOptions { PermitsPerWindow = 2, Window = TimeSpan.FromSeconds(10) }),
            time,
            _server.Services.GetRequiredService<Gateway.Telemetry.GatewayMetrics>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Gateway.Audit.RefusalBoundary>.Instance);
        var call = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        call.Request.Path = "/interagency.v1.ReferralService/SubmitReferral";
        call.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.7");
        var refusal = new Gateway.Audit.CallRefusal(StatusCode.Unauthenticated, "caller_unknown", "The call does not identify a known agency.", []) { ClaimRefused = true };
        for (var i = 0; i < 7; i++)
        {
            await boundary.AuditAsync(call, refusal, default);
        }

        time.Advance(TimeSpan.FromSeconds(10));

        var entry = await Eventually.WaitForAsync(
            () => _server.Store.ReadAuditAsync(default).Where(a => a.Kind == AuditKinds.IntakeRefusalsSuppressed).ToListAsync().AsTask().Result,
            entries => entries.Count > 0,
            "the window's count");
        var suppressed = Assert.Single(entry).Details;
        Assert.Equal(
            ("192.0.2.7", 5L, DateTimeOffset.Parse("2026-12-03T08:00:00Z"), DateTimeOffset.Parse("2026-12-03T08:00:10Z")),
            (suppressed.Source, suppressed.Count, suppressed.WindowStart, suppressed.WindowEnd));
        Assert.Equal(2, await _server.Store.ReadAuditAsync(default).CountAsync(a => a.Details.Reason == "caller_unknown"));
    }
}
