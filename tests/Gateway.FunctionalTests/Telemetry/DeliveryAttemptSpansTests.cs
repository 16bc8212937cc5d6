using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Telemetry;
using Interagency.V1;

namespace Gateway.FunctionalTests.Telemetry;

/// <summary>
/// The spans of one call to an endpoint, as plain functions: each delivery's attempt in its own message's trace, and a
/// call of several deliveries under a span linked to each attempt.
/// </summary>
public sealed class DeliveryAttemptSpansTests : IDisposable
{
    /// <summary>An endpoint no other test names: the listener hears every span of the process, these are told by it.</summary>
    private static readonly Uri Endpoint = new("http://attempt-spans.test:1");

    private readonly ConcurrentQueue<Activity> _started = [];
    private readonly ActivityListener _listener;

    public DeliveryAttemptSpansTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _started.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public void A_call_of_one_delivery_goes_out_under_its_attempt_a_child_of_the_context_stored_with_its_message()
    {
        var stored = Context();
        Activity.Current = null;

        using (var spans = DeliveryAttemptSpans.Start(Endpoint, [Claimed(1, stored.Id)]))
        {
            var attempt = Assert.Single(Mine());
            Assert.Same(attempt, Activity.Current);
            Assert.Equal(GatewayTracing.DeliveryAttempt, attempt.OperationName);
            Assert.Equal((stored.TraceId, stored.SpanId), (attempt.TraceId, attempt.ParentSpanId));
            Assert.Equal(1L, attempt.GetTagItem(DeliveryAttemptSpans.DeliveryIdTag));
            Assert.Equal(2, attempt.GetTagItem(DeliveryAttemptSpans.AttemptTag));

            spans.Completed([new DeliveryCompletion(Claimed(1, stored.Id).Delivery, DeliveryResolution.RetryLater, DateTimeOffset.UtcNow, "Unavailable")], []);

            Assert.Equal("retry_later", attempt.GetTagItem(DeliveryAttemptSpans.OutcomeTag));
            Assert.Equal((ActivityStatusCode.Error, "Unavailable"), (attempt.Status, attempt.StatusDescription));
        }

        Assert.All(Mine(), span => Assert.NotEqual(TimeSpan.Zero, span.Duration));
    }

    [Fact]
    public void A_call_of_several_deliveries_goes_out_under_a_batch_span_linked_to_each_attempt_in_its_own_messages_trace()
    {
        var first = Context();
        var second = Context();
        Activity.Current = null;

        using var spans = DeliveryAttemptSpans.Start(Endpoint, [Claimed(1, first.Id), Claimed(2, second.Id), Claimed(3, null)]);
        spans.Completed(
            [new DeliveryCompletion(Claimed(1, first.Id).Delivery, DeliveryResolution.Delivered)],
            [Claimed(2, second.Id).Delivery]);

        var attempts = Mine().Where(s => s.OperationName == GatewayTracing.DeliveryAttempt).ToArray();
        var batch = Assert.Single(Mine(), s => s.OperationName == GatewayTracing.DeliveryBatch);
        Assert.Same(batch, Activity.Current);
        Assert.Equal([first.TraceId, second.TraceId], attempts[..2].Select(a => a.TraceId));
        Assert.Equal([first.SpanId, second.SpanId], attempts[..2].Select(a => a.ParentSpanId));

        // A message stored without a context: its attempt starts a trace of its own, not one of the others'.
        Assert.Equal(default(ActivitySpanId), attempts[2].ParentSpanId);
        Assert.DoesNotContain(attempts[2].TraceId, new[] { first.TraceId, second.TraceId, batch.TraceId });
        Assert.Equal(attempts.Select(a => a.Context), batch.Links.Select(l => l.Context));
        Assert.Equal(default(ActivitySpanId), batch.ParentSpanId);
        Assert.Equal(new object?[] { "delivered", DeliveryAttemptSpans.NotSent, null }, attempts.Select(a => a.GetTagItem(DeliveryAttemptSpans.OutcomeTag)));
    }

    private Activity[] Mine() => [.. _started.Where(s => s.GetTagItem(DeliveryAttemptSpans.EndpointTag) as string == Endpoint.Authority)];

    /// <summary>A context as the gateway stores it: the W3C id of a sampled span.</summary>
    private static (string Id, ActivityTraceId TraceId, ActivitySpanId SpanId) Context()
    {
        var (traceId, spanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        return ($"00-{traceId.ToHexString()}-{spanId.ToHexString()}-01", traceId, spanId);
    }

    private static ClaimedDelivery Claimed(long id, string? traceParent) =>
        new(new DeliveryRecord(id, $"message-{id}", "CN/FJPSD", "CASE-1", DeliveryState.InFlight, 2, "w", null), MessageKind.Referral, [], false, false)
        {
            TraceParent = traceParent,
        };
}
