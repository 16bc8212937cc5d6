using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Gateway.Tests.Shared.Postgres;
using Interagency.V1;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// Two gateway processes on one PostgreSQL database: what B accepts, A delivers as soon as B's commit wakes it, and A
/// traces it as B does.
/// </summary>
public sealed class CrossInstanceTests(TwoInstanceNetwork fixture) : IClassFixture<TwoInstanceNetwork>
{
    private const string Moscow = "CN/PLO-RU";
    private const string Fujian = "CN/FJPSD";
    private const string Russia = "RU/MVD";

    /// <summary>A fifth of A's idle poll: generous on a loaded machine, and still no delivery A's poll could have made.</summary>
    private static readonly TimeSpan WellBeforeIdlePoll = TwoInstanceNetwork.IdlePoll / 5;

    [PostgresFact]
    public async Task Referrals_accepted_by_B_which_delivers_nothing_are_delivered_by_A_woken_by_Bs_commits()
    {
        var referrals = new ReferralService.ReferralServiceClient(fixture.B.Channel);

        // One after another, each sent once A is idle again after the one before: each needs a wake of its own.
        for (var i = 0; i < 3; i++)
        {
            var referral = Samples.CaseOpening(Moscow, Fujian, $"CN-FJ-2026-WAKE-{i}");
            await referrals.SubmitReferralAsync(referral, GatewayServer.As(Moscow));

            var inbox = await Eventually.WaitForAsync(
                () => fixture.Network[Fujian].ReadInbox(),
                inbox => inbox.Applied.Any(e => e.MessageId == referral.Header.MessageId),
                $"referral {i} accepted by B at {Fujian}",
                WellBeforeIdlePoll);
            Assert.Equal((Moscow, 1u), inbox.Applied.Where(e => e.MessageId == referral.Header.MessageId).Select(e => (e.Sender, e.Attempt)).Single());
        }
    }

    [PostgresFact]
    public async Task A_trace_asked_on_A_of_a_referral_accepted_on_B_shows_its_whole_history()
    {
        var referrals = new ReferralService.ReferralServiceClient(fixture.B.Channel);
        var referral = Samples.Referral(Moscow, Fujian);
        referral.Header.CaseReference = "CN-FJ-2026-KIDNAP-AB";
        await referrals.SubmitReferralAsync(referral, GatewayServer.As(Moscow));
        await DeliveredAsync(referral.Header.MessageId, 1);
        var release = new ReleaseHoldRequest
        {
            Header = Samples.Header(Russia),
            Release = new HoldRelease { ReferralMessageId = referral.Header.MessageId, Remarks = "victim freed, four kidnappers arrested" },
        };
        release.Header.CaseReference = referral.Header.CaseReference;
        await referrals.ReleaseHoldAsync(release, GatewayServer.As(Russia));
        await DeliveredAsync(release.Header.MessageId, 2);

        var onA = await new TraceService.TraceServiceClient(fixture.A.Channel).GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As(Moscow));

        Assert.Equal(
            [
                (AuditKinds.MessageAccepted, string.Empty, string.Empty),
                (AuditKinds.DeliveryDelivered, Fujian, string.Empty),
                (AuditKinds.HoldReleased, string.Empty, release.Header.MessageId),
            ],
            onA.Events.Select(e => (e.Kind, e.Recipient, e.RelatedMessageId)));
        Assert.Equal((Moscow, Russia), (onA.Events[0].Actor, onA.Events[2].Actor));

        // The delivery's actor is the dispatcher that made it: A's, named by its process id.
        Assert.StartsWith($"{Environment.MachineName}/{fixture.A.Id}/", onA.Events[1].Actor, StringComparison.Ordinal);
        Assert.Equal((referral.Header.MessageId, Moscow, referral.Header.CaseReference), (onA.Message.MessageId, onA.Message.Sender, onA.Message.CaseReference));
        var delivery = Assert.Single(onA.Deliveries);
        Assert.Equal((Fujian, DeliveryStatus.Delivered, 1u), (delivery.Recipient, delivery.Status, delivery.Attempts));
        Assert.Equal([release.Header.MessageId], onA.LinkedFrom);

        // B, which accepted it, knows no more of it than A.
        var onB = await new TraceService.TraceServiceClient(fixture.B.Channel).GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As(Moscow));
        Assert.Equal(onB, onA);
    }

    /// <summary>Waits until the store holds <paramref name="count"/> deliveries of the message.</summary>
    private Task DeliveredAsync(string messageId, int count) =>
        Eventually.WaitForAsync(
            () => GatewayDatabase.AuditAbout(fixture.Network.Store, messageId).Count(e => e.Kind == AuditKinds.DeliveryDelivered),
            delivered => delivered >= count,
            $"{count} deliveries of message {messageId}");
}
