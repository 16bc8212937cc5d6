using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Trace;

/// <summary>
/// The kidnapping of DESIGN.md section 1 traced afterwards, with a gateway and PartnerSim processes: every hop of the
/// referral in order, who released its hold, and the release linked both ways.
/// </summary>
public sealed class KidnappingTraceTests
{
    private const string Moscow = "CN/PLO-RU";
    private const string Fujian = "CN/FJPSD";
    private const string Russia = "RU/MVD";

    [Fact]
    public async Task The_referrals_trace_lists_acceptance_delivery_and_the_release_by_Russian_police_in_order()
    {
        await using var network = await DeliveryNetwork.StartAsync([Moscow, Fujian, Russia]);
        var trace = new TraceService.TraceServiceClient(network.Gateway.Channel);
        var referrals = new ReferralService.ReferralServiceClient(network.Gateway.Channel);
        var referral = Samples.Referral(Moscow, Fujian);
        referral.Header.CaseReference = "CN-FJ-2026-KIDNAP-TRACE";

        await referrals.SubmitReferralAsync(referral, GatewayServer.As(Moscow));
        await DeliveredAsync(network, referral.Header.MessageId, 1);
        var release = new ReleaseHoldRequest
        {
            Header = Samples.Header(Russia),
            Release = new HoldRelease { ReferralMessageId = referral.Header.MessageId, Remarks = "victim freed, four kidnappers arrested" },
        };
        release.Header.CaseReference = referral.Header.CaseReference;
        await referrals.ReleaseHoldAsync(release, GatewayServer.As(Russia));
        await DeliveredAsync(network, release.Header.MessageId, 2);

        var timeline = await trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As(Moscow));

        Assert.Equal(
            [
                (AuditKinds.MessageAccepted, string.Empty, string.Empty),
                (AuditKinds.DeliveryDelivered, Fujian, string.Empty),
                (AuditKinds.HoldReleased, string.Empty, release.Header.MessageId),
            ],
            timeline.Events.Select(e => (e.Kind, e.Recipient, e.RelatedMessageId)));
        Assert.Equal((Moscow, Russia), (timeline.Events[0].Actor, timeline.Events[2].Actor));
        Assert.True(timeline.Events.Zip(timeline.Events.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        var accepted = timeline.Events[0];
        Assert.Equal(
            (Fujian, RouteReason.NamedAgency),
            (Assert.Single(accepted.Routes).Recipient, accepted.Routes[0].Reason));
        Assert.NotEmpty(accepted.Routes[0].Agreement);
        var delivered = timeline.Events[1];
        Assert.Equal(1u, delivered.Attempt);
        Assert.NotNull(delivered.Duration);
        Assert.True(delivered.Duration.ToTimeSpan() > TimeSpan.Zero);
        var delivery = Assert.Single(timeline.Deliveries);
        Assert.Equal((Fujian, DeliveryStatus.Delivered, 1u), (delivery.Recipient, delivery.Status, delivery.Attempts));
        Assert.NotNull(delivery.FinishedAt);
        Assert.Equal([release.Header.MessageId], timeline.LinkedFrom);

        // The release links back, and went to the referral's parties by that link.
        var released = await trace.GetMessageTraceAsync(new() { MessageId = release.Header.MessageId }, GatewayServer.As(Russia));
        Assert.Equal(referral.Header.MessageId, released.Message.LinksTo);
        Assert.Equal(
            [(Fujian, RouteReason.Reply), (Moscow, RouteReason.Reply)],
            released.Events.Single(e => e.Kind == AuditKinds.MessageAccepted).Routes.Select(r => (r.Recipient, r.Reason)));

        // The release party was not addressed by the referral: it traces its release, not the referral.
        await StatusAssert.Refused(
            () => trace.GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As(Russia)).ResponseAsync,
            StatusCode.PermissionDenied);
    }

    /// <summary>Waits until the dispatcher has recorded <paramref name="count"/> deliveries of the message.</summary>
    private static Task DeliveredAsync(DeliveryNetwork network, string messageId, int count) =>
        Eventually.WaitForAsync(
            () => GatewayDatabase.AuditAbout(network.DatabasePath, messageId).Count(e => e.Kind == AuditKinds.DeliveryDelivered),
            delivered => delivered >= count,
            $"{count} recorded deliveries of {messageId}");
}
