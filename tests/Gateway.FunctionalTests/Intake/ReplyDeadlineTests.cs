using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.FunctionalTests.Intake;

/// <summary>A request whose reply-by passes without a report raises an overdue event, on a gateway whose clock the test moves.</summary>
public sealed class ReplyDeadlineTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly GatewayServer _server;

    public ReplyDeadlineTests() =>
        _server = new GatewayServer
        {
            ExtraArguments = ["--Gateway:Delivery:OverdueScanInterval=00:01:00"],
            Configure = builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)),
        };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_request_unanswered_past_its_reply_by_is_audited_overdue_and_an_answered_one_is_not()
    {
        var fugitive = new FugitiveService.FugitiveServiceClient(_server.Channel);
        var unanswered = Samples.LocationRequest("RU");
        unanswered.Header.CaseReference = "CN-MPS-2026-LATE";
        unanswered.Header.ReplyBy = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(_clock.GetUtcNow().AddHours(8));
        var answered = Samples.LocationRequest("RU");
        answered.Header.CaseReference = "CN-MPS-2026-ONTIME";
        answered.Header.ReplyBy = unanswered.Header.ReplyBy;
        await fugitive.RequestLocationAsync(unanswered, GatewayServer.As("CN/MPS"));
        await fugitive.RequestLocationAsync(answered, GatewayServer.As("CN/MPS"));
        var report = new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD"),
            Report = new LocationReport
            {
                RequestMessageId = answered.Header.MessageId,
                Outcome = LocationOutcome.NotFound,
                ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(_clock.GetUtcNow()),
            },
        };
        report.Header.CaseReference = answered.Header.CaseReference;
        await fugitive.ReportLocationAsync(report, GatewayServer.As("RU/MVD"));

        _clock.Advance(TimeSpan.FromHours(9));

        var audit = await Eventually.WaitForAsync(
            () => _server.Store.ReadAuditAsync(default).ToListAsync().AsTask().GetAwaiter().GetResult(),
            entries => entries.Any(e => e.Kind == AuditKinds.ReplyOverdue),
            "the overdue event");
        Assert.Equal([unanswered.Header.MessageId], audit.Where(e => e.Kind == AuditKinds.ReplyOverdue).Select(e => e.MessageId));
    }
}
