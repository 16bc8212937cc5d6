using System.Collections.Concurrent;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Xunit.Abstractions;

namespace Gateway.FunctionalTests.Streams;

/// <summary>SIGKILL the gateway while a partner streams updates: what was acknowledged survives and is delivered; a resend is not stored twice.</summary>
public sealed class PublishCrashTests(ITestOutputHelper output)
{
    private const string Ministry = "CN/MPS";
    private const string CaseReference = "AR-PFA-2026-CRASH";

    [Fact]
    public async Task Acknowledged_updates_survive_SIGKILL_and_are_delivered_and_resent_ones_are_not_stored_twice()
    {
        await using var network = await DeliveryNetwork.StartAsync([Ministry, "AR/PFA"]);
        var referral = Samples.CaseOpening("AR/PFA", Ministry, CaseReference);
        await new ReferralService.ReferralServiceClient(network.Gateway.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));

        var updates = Enumerable.Range(0, 5000).Select(_ => Samples.StatusUpdate("AR/PFA", CaseReference)).ToList();
        var acknowledged = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = new CaseUpdateService.CaseUpdateServiceClient(network.Gateway.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
        var sending = Task.Run(async () =>
        {
            try
            {
                foreach (var update in updates)
                {
                    await call.RequestStream.WriteAsync(update);
                }
            }
            catch (Exception error) when (error is RpcException or InvalidOperationException or IOException)
            {
                // The gateway is gone.
            }
        });
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var ack in call.ResponseStream.ReadAllAsync())
                {
                    Assert.Equal(UpdateOutcome.Accepted, ack.Outcome);
                    acknowledged.Add(ack.MessageId);
                    if (acknowledged.Count == 1000)
                    {
                        enough.TrySetResult();
                    }
                }
            }
            catch (RpcException)
            {
                // The stream ends with the process.
            }
        });

        await enough.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await network.RestartGatewayAfterKillAsync();
        await reading;
        await sending;
        call.Dispose();
        var acknowledgedCount = acknowledged.Count;
        Assert.True(acknowledgedCount < updates.Count, "the kill must come while the partner is still streaming");

        // The partner resends everything from the first update it has no acknowledgement for; with replays that were
        // committed but not acknowledged, those come back DUPLICATE rather than stored twice.
        var resend = updates.Where(u => !acknowledged.Contains(u.Header.MessageId)).ToList();
        using (var again = new CaseUpdateService.CaseUpdateServiceClient(network.Gateway.Channel).PublishUpdates(GatewayServer.As("AR/PFA")))
        {
            var writing = Task.Run(async () =>
            {
                foreach (var update in resend)
                {
                    await again.RequestStream.WriteAsync(update);
                }

                await again.RequestStream.CompleteAsync();
            });
            var acks = await again.ResponseStream.ReadAllAsync().ToListAsync();
            await writing;
            Assert.Equal(resend.Count, acks.Count);
            Assert.All(acks, a => Assert.Contains(a.Outcome, new[] { UpdateOutcome.Accepted, UpdateOutcome.Duplicate }));
            output.WriteLine(
                $"{acknowledgedCount} of {updates.Count} updates acknowledged before SIGKILL; resent {resend.Count}: " +
                $"{acks.Count(a => a.Outcome == UpdateOutcome.Duplicate)} were already committed (DUPLICATE), {acks.Count(a => a.Outcome == UpdateOutcome.Accepted)} new");
        }

        var inbox = await network.WaitForInboxAsync(Ministry, updates.Count + 1, TimeSpan.FromMinutes(2));
        var applied = inbox.Applied.Where(e => e.CaseReference == CaseReference).OrderBy(e => e.Sequence).Select(e => e.MessageId).ToList();
        Assert.Equal([referral.Header.MessageId, .. updates.Select(u => u.Header.MessageId)], applied);
        Assert.Subset(applied.ToHashSet(), acknowledged.ToHashSet());
    }
}
