using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Trace;

/// <summary>An agency that keeps asking for messages it may not see cannot flood the audit log: its denials are budgeted.</summary>
public sealed class TraceDenialBudgetTests : IAsyncLifetime
{
    private const int Permits = 3;

    // One window longer than the test: the count is written when the gateway stops.
    private readonly GatewayServer _server = new()
    {
        ExtraArguments =
        [
            $"--Gateway:Audit:UnauthenticatedRefusals:PermitsPerWindow={Permits}",
            "--Gateway:Audit:UnauthenticatedRefusals:Window=01:00:00",
        ],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Denials_beyond_the_budget_are_counted_under_the_agency_not_audited_one_by_one()
    {
        const int Calls = 20;
        var referral = Samples.Referral();
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        var trace = new TraceService.TraceServiceClient(_server.Channel);

        for (var i = 0; i < Calls; i++)
        {
            await StatusAssert.Refused(
                () => trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As("US/FBI")).ResponseAsync,
                StatusCode.PermissionDenied);
        }

        await _server.StopAsync();

        var audit = await _server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(Permits, audit.Count(a => a.Kind == AuditKinds.IntakeRefused && a.Actor == "US/FBI"));
        var count = Assert.Single(audit, a => a.Kind == AuditKinds.IntakeRefusalsSuppressed);
        Assert.Equal(("US/FBI", "US/FBI", (long)(Calls - Permits)), (count.Actor, count.Details.Source, count.Details.Count));
    }
}
