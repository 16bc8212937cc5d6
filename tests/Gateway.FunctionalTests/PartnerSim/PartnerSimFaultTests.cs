using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.PartnerSim;

/// <summary>Injected faults: a refused call applies nothing, and a slow answer can be lost after the message was applied.</summary>
public sealed class PartnerSimFaultTests : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("partnersim-faults-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task Fail_percent_100_answers_unavailable_and_applies_nothing()
    {
        await using var sim = await PartnerSimProcess.StartAsync(SampleDeliveries.Recipient, _dataDirectory, new PartnerSimFaults { FailPercent = 100 });

        await StatusAssert.RefusedByTransport(() => sim.Client.DeliverAsync(SampleDeliveries.Referral(), deadline: Deadline()).ResponseAsync, StatusCode.Unavailable);
        await StatusAssert.RefusedByTransport(() => sim.Client.DeliverBatchAsync(SampleDeliveries.Batch(3), deadline: Deadline()).ResponseAsync, StatusCode.Unavailable);

        var inbox = sim.ReadInbox();
        Assert.Empty(inbox.Applied);
        Assert.Equal(0, inbox.Duplicates);
        var log = sim.ReadReceivedLog();
        Assert.Equal(4, log.Count);
        Assert.All(log, line => Assert.Contains(" REFUSED ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fail_percent_30_refuses_calls_4_7_and_10_of_ten_and_applies_the_others()
    {
        await using var sim = await PartnerSimProcess.StartAsync(SampleDeliveries.Recipient, _dataDirectory, new PartnerSimFaults { FailPercent = 30 });

        var refused = new List<int>();
        for (var call = 1; call <= 10; call++)
        {
            try
            {
                await sim.Client.DeliverAsync(SampleDeliveries.Referral(), deadline: Deadline());
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.Unavailable)
            {
                refused.Add(call);
            }
        }

        Assert.Equal([4, 7, 10], refused);
        Assert.Equal(7, sim.ReadInbox().Applied.Count);
    }

    [Fact]
    public async Task Refuse_for_seconds_answers_unavailable_and_applies_nothing()
    {
        await using var sim = await PartnerSimProcess.StartAsync(SampleDeliveries.Recipient, _dataDirectory, new PartnerSimFaults { RefuseForSeconds = 600 });

        var error = await StatusAssert.RefusedByTransport(() => sim.Client.DeliverAsync(SampleDeliveries.Referral(), deadline: Deadline()).ResponseAsync, StatusCode.Unavailable);
        await StatusAssert.RefusedByTransport(() => sim.Client.DeliverBatchAsync(SampleDeliveries.Batch(3), deadline: Deadline()).ResponseAsync, StatusCode.Unavailable);

        Assert.Contains("--refuse-for-seconds", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(sim.ReadInbox().Applied);
    }

    [Fact]
    public async Task A_delayed_answer_lost_to_the_deadline_leaves_the_message_applied_and_its_retry_a_duplicate()
    {
        // The deadline leaves ample time to apply, even on a loaded machine, and half the delay to answer.
        await using var sim = await PartnerSimProcess.StartAsync(SampleDeliveries.Recipient, _dataDirectory, new PartnerSimFaults { DelayMilliseconds = 3000 });
        var delivery = SampleDeliveries.Referral();

        var lost = await Assert.ThrowsAsync<RpcException>(() => sim.Client.DeliverAsync(delivery, deadline: DateTime.UtcNow.AddMilliseconds(1500)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, lost.StatusCode);
        var retry = await sim.Client.DeliverAsync(SampleDeliveries.Redelivery(delivery), deadline: Deadline());

        Assert.Equal(DeliveryOutcome.Duplicate, retry.Outcome);
        Assert.Single(sim.ReadInbox().Applied);
    }

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;
}
