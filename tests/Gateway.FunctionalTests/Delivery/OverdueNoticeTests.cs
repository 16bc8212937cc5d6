using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// Overdue replies end to end, on the real clock: a gateway process raises each recipient that did not answer in time and
/// delivers a notice per recipient to the requester's endpoint (a PartnerSim process); killed and started again, it raises
/// none of them twice. The requester's directory entry accepts location reports only: a notice is the gateway's, not a
/// kind an agency chooses to accept, so that list does not hold it back.
/// </summary>
public sealed class OverdueNoticeTests
{
    [Fact]
    public async Task A_fan_out_answered_by_one_recipient_brings_the_requester_a_notice_for_each_other_recipient_once_also_after_a_restart()
    {
        await using var network = await DeliveryNetwork.StartAsync(
            ["CN/MPS", "RU/MVD", "CN/PLO-TH", "US/FBI"],
            null,
            "--Gateway:Delivery:OverdueScanInterval=00:00:00.200",
            $"--{Core.Agencies.DirectoryOptions.Section}:Agencies:0:Accepts:0=LocationReport");
        var agencies = await new OperationsService.OperationsServiceClient(network.Gateway.Channel)
            .ListAgenciesAsync(new ListAgenciesRequest(), Operations.OperatorFixtures.AsOperator());
        Assert.Equal(["LocationReport"], agencies.Agencies.Single(a => a.Id == "CN/MPS").Accepts);
        var fugitive = new FugitiveService.FugitiveServiceClient(network.Gateway.Channel);
        var request = Samples.LocationRequest("RU", "TH", "US");
        request.Header.CaseReference = "CN-MPS-2026-NOTICES";
        request.Header.ReplyBy = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(5));
        await fugitive.RequestLocationAsync(request, GatewayServer.As("CN/MPS"));
        await fugitive.ReportLocationAsync(Samples.LocationReport(request, "RU/MVD", LocationOutcome.Located), GatewayServer.As("RU/MVD"));

        var inbox = await Eventually.WaitForAsync(
            () => network["CN/MPS"].ReadInbox(),
            i => i.AppliedNoticesIn(request.Header.CaseReference).Count >= 2,
            "the two overdue notices at the requester");

        var notices = inbox.AppliedNoticesIn(request.Header.CaseReference);
        Assert.Equal(["CN/PLO-TH", "US/FBI"], notices.Select(n => n.Sender).Order());
        Assert.All(notices, n => Assert.Equal("CN/MPS", n.Recipient));
        Assert.Contains(inbox.Applied, e => e.CaseReference == request.Header.CaseReference && e.PayloadKind == "location_report" && e.Sender == "RU/MVD");

        // Killed and started again: a scan after the restart runs (it raises the marker), and raises the fan-out again never.
        await network.RestartGatewayAfterKillAsync();
        var marker = Samples.LocationRequest("RU");
        marker.Header.CaseReference = "CN-MPS-2026-NOTICE-MARKER";
        marker.Header.ReplyBy = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(2));
        await new FugitiveService.FugitiveServiceClient(network.Gateway.Channel).RequestLocationAsync(marker, GatewayServer.As("CN/MPS"));
        await Eventually.WaitForAsync(() => network["CN/MPS"].ReadInbox(), i => i.AppliedNoticesIn(marker.Header.CaseReference).Count == 1, "the marker's notice after the restart");

        Assert.Equal(2, network["CN/MPS"].ReadInbox().AppliedNoticesIn(request.Header.CaseReference).Count);
        var raised = GatewayDatabase.Audit(network.DatabasePath, AuditKinds.ReplyOverdue).Where(e => e.MessageId == request.Header.MessageId).ToList();
        Assert.Equal(["CN/PLO-TH", "US/FBI"], raised.Select(e => e.Details.Recipient!).Order());
    }

}
