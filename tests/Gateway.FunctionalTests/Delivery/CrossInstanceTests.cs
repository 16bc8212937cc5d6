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

    private static readonly string[] Outcomes = [AuditKinds.DeliveryDelivered, AuditKinds.DeliveryDuplicate];

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
            Assert.Equal(Moscow, inbox.Applied.Single(e => e.MessageId == referral.Header.MessageId).Sender);
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

        // Every entry the store holds about it, in order, whichever instance wrote it: B the acceptance and the release, A
        // the delivery (after any retries a slow endpoint cost on a loaded machine).
        Assert.Equal(GatewayDatabase.AuditAbout(fixture.Network.Store, referral.Header.MessageId).Select(e => e.Kind), onA.Events.Select(e => e.Kind));
        Assert.Equal((AuditKinds.MessageAccepted, Moscow), (onA.Events[0].Kind, onA.Events[0].Actor));
        Assert.Equal((AuditKinds.HoldReleased, Russia, release.Header.MessageId), (onA.Events[^1].Kind, onA.Events[^1].Actor, onA.Events[^1].RelatedMessageId));
        var outcome = Assert.Single(onA.Events, e => Outcomes.Contains(e.Kind));
        Assert.Equal(Fujian, outcome.Recipient);

        // The delivery's actor is the dispatcher that made it: A's, named by its process id.
        Assert.StartsWith($"{Environment.MachineName}/{fixture.A.Id}/", outcome.Actor, StringComparison.Ordinal);
        var delivery = Assert.Single(onA.Deliveries);
        Assert.Equal((Fujian, DeliveryStatus.Delivered), (delivery.Recipient, delivery.Status));
        Assert.Equal((referral.Header.MessageId, Moscow, referral.Header.CaseReference), (onA.Message.MessageId, onA.Message.Sender, onA.Message.CaseReference));
        Assert.Equal([release.Header.MessageId], onA.LinkedFrom);

        // B, which accepted it, knows no more of it than A.
        var onB = await new TraceService.TraceServiceClient(fixture.B.Channel).GetMessageTraceAsync(new() { MessageId = referral.Header.MessageId }, GatewayServer.As(Moscow));
        Assert.Equal(onB, onA);
    }

    /// <summary>
    /// Waits until the store holds <paramref name="count"/> delivery outcomes of the message: delivered, or found already
    /// applied when an attempt's answer was lost.
    /// </summary>
    private Task DeliveredAsync(string messageId, int count) =>
        Eventually.WaitForAsync(
            () => GatewayDatabase.AuditAbout(fixture.Network.Store, messageId).Count(e => Outcomes.Contains(e.Kind)),
            delivered => delivered >= count,
            $"{count} delivery outcomes of message {messageId}");
}
