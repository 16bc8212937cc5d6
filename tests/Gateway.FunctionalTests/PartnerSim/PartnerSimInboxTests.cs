using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.PartnerSim;

/// <summary>The PartnerSim process over real sockets: each message id is applied once, on disk before the answer.</summary>
public sealed class PartnerSimInboxTests : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("partnersim-inbox-").FullName;
    private PartnerSimProcess _sim = null!;

    public async Task InitializeAsync() => _sim = await PartnerSimProcess.StartAsync(SampleDeliveries.Recipient, _dataDirectory);

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task First_delivery_is_applied_and_recorded_in_the_inbox()
    {
        var delivery = SampleDeliveries.Referral();
        delivery.PrepareOnly = true;

        var response = await _sim.Client.DeliverAsync(delivery, deadline: Deadline());

        Assert.Equal(DeliveryOutcome.Applied, response.Outcome);
        var entry = Assert.Single(_sim.ReadInbox().Applied);
        Assert.Equal(delivery.Header.MessageId, entry.MessageId);
        Assert.Equal(delivery.DeliveryId, entry.DeliveryId);
        Assert.Equal("referral", entry.PayloadKind);
        Assert.Equal(delivery.Header.CaseReference, entry.CaseReference);
        Assert.Equal("CN/PLO-RU", entry.Sender);
        Assert.Equal("RU/MVD", entry.Recipient);
        Assert.Equal((true, false, false, 1u), (entry.PrepareOnly, entry.Late, entry.Replayed, entry.Attempt));
        Assert.InRange(entry.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Same_message_id_again_is_a_duplicate_counted_and_not_applied_again()
    {
        var first = SampleDeliveries.Referral();
        var again = SampleDeliveries.Redelivery(first);

        var firstOutcome = (await _sim.Client.DeliverAsync(first, deadline: Deadline())).Outcome;
        var againOutcome = (await _sim.Client.DeliverAsync(again, deadline: Deadline())).Outcome;

        Assert.Equal((DeliveryOutcome.Applied, DeliveryOutcome.Duplicate), (firstOutcome, againOutcome));
        var inbox = _sim.ReadInbox();
        var entry = Assert.Single(inbox.Applied);
        Assert.Equal(first.DeliveryId, entry.DeliveryId);
        Assert.Equal(1, inbox.Duplicates);
        Assert.Equal(1, inbox.DuplicatesByMessageId[first.Header.MessageId]);
    }

    [Fact]
    public async Task Batch_of_distinct_messages_is_applied_in_order()
    {
        var batch = SampleDeliveries.Batch(50);

        var response = await _sim.Client.DeliverBatchAsync(batch, deadline: Deadline());

        Assert.Equal(batch.Deliveries.Select(d => d.DeliveryId), response.Results.Select(r => r.DeliveryId));
        Assert.All(response.Results, r => Assert.Equal(DeliveryOutcome.Applied, r.Outcome));
        var applied = _sim.ReadInbox().Applied;
        Assert.Equal(batch.Deliveries.Select(d => d.Header.MessageId), applied.Select(e => e.MessageId));
        Assert.Equal(applied.Select(e => e.Sequence).Order(), applied.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_batch_answers_each_delivery_applied_or_duplicate()
    {
        var known = SampleDeliveries.Referral();
        await _sim.Client.DeliverAsync(known, deadline: Deadline());
        var batch = SampleDeliveries.Batch(2);
        batch.Deliveries.Insert(1, SampleDeliveries.Redelivery(known));

        var response = await _sim.Client.DeliverBatchAsync(batch, deadline: Deadline());

        Assert.Equal([DeliveryOutcome.Applied, DeliveryOutcome.Duplicate, DeliveryOutcome.Applied], response.Results.Select(r => r.Outcome));
        Assert.Equal(3, _sim.ReadInbox().Applied.Count);
    }

    [Fact]
    public async Task Concurrent_deliveries_and_their_concurrent_repeats_are_each_applied_once()
    {
        var deliveries = Enumerable.Range(0, 200).Select(_ => SampleDeliveries.Referral()).ToList();

        var first = await Task.WhenAll(deliveries.Select(async d => (await _sim.Client.DeliverAsync(d, deadline: Deadline())).Outcome));
        var repeat = await Task.WhenAll(deliveries.Select(async d => (await _sim.Client.DeliverAsync(SampleDeliveries.Redelivery(d), deadline: Deadline())).Outcome));

        Assert.All(first, outcome => Assert.Equal(DeliveryOutcome.Applied, outcome));
        Assert.All(repeat, outcome => Assert.Equal(DeliveryOutcome.Duplicate, outcome));
        var inbox = _sim.ReadInbox();
        Assert.Equal(deliveries.Select(d => d.Header.MessageId).Order(), inbox.Applied.Select(e => e.MessageId).Order());
        Assert.Equal(200, inbox.Duplicates);
    }

    [Fact]
    public async Task Inbox_survives_SIGKILL_and_a_redelivery_after_restart_is_a_duplicate()
    {
        var batch = SampleDeliveries.Batch(20);
        await _sim.Client.DeliverBatchAsync(batch, deadline: Deadline());

        await _sim.KillAsync();
        Assert.Equal(20, _sim.ReadInbox().Applied.Count);
        await using var restarted = await _sim.RestartAsync();
        var again = await restarted.Client.DeliverAsync(SampleDeliveries.Redelivery(batch.Deliveries[7]), deadline: Deadline());
        var fresh = await restarted.Client.DeliverAsync(SampleDeliveries.Referral(), deadline: Deadline());

        Assert.Equal(_sim.Port, restarted.Port);
        Assert.Equal(DeliveryOutcome.Duplicate, again.Outcome);
        Assert.Equal(DeliveryOutcome.Applied, fresh.Outcome);
        var inbox = restarted.ReadInbox();
        Assert.Equal(21, inbox.Applied.Count);
        Assert.Equal(batch.Deliveries.Select(d => d.Header.MessageId), inbox.Applied.Take(20).Select(e => e.MessageId));
        Assert.Equal(1, inbox.Duplicates);
    }

    [Fact]
    public async Task Graceful_stop_exits_zero_and_keeps_the_inbox()
    {
        await _sim.Client.DeliverAsync(SampleDeliveries.Referral(), deadline: Deadline());

        var exitCode = await _sim.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.Single(_sim.ReadInbox().Applied);
    }

    [Fact]
    public async Task Received_log_has_one_line_per_delivery_with_flags_and_no_personal_data()
    {
        var late = SampleDeliveries.Referral();
        late.Late = true;
        late.Replayed = true;
        await _sim.Client.DeliverAsync(late, deadline: Deadline());
        await _sim.Client.DeliverAsync(SampleDeliveries.Redelivery(late), deadline: Deadline());

        var lines = _sim.ReadReceivedLog();

        Assert.Equal(2, lines.Count);
        Assert.Matches($@"^\S+Z APPLIED +delivery={late.DeliveryId} message={late.Header.MessageId} kind=referral case={late.Header.CaseReference} attempt=1 flags=late,replayed$", lines[0]);
        Assert.Contains(" DUPLICATE ", lines[1], StringComparison.Ordinal);
        var log = string.Join('\n', lines);
        Assert.DoesNotContain(Samples.SubjectLatinName, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Samples.PassportNumber, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_without_a_message_id_is_refused_as_invalid_and_nothing_is_applied()
    {
        var batch = SampleDeliveries.Batch(2);
        batch.Deliveries[1].Header.MessageId = string.Empty;

        var error = await Assert.ThrowsAsync<RpcException>(() => _sim.Client.DeliverBatchAsync(batch, deadline: Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("message_id", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_sim.ReadInbox().Applied);
    }

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;
}
