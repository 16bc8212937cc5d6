using System.Diagnostics;
using Gateway.Core.Storage;

namespace Gateway.Telemetry;

/// <summary>
/// The spans of one call that carries deliveries to an endpoint. Each delivery's attempt is a
/// <see cref="GatewayTracing.DeliveryAttempt"/> span, a child of the trace context stored with its message, so the
/// caller, intake, every attempt (after a restart too) and the endpoint share the message's trace. A call carrying one
/// delivery goes out under its attempt; a call carrying several goes out under a <see cref="GatewayTracing.DeliveryBatch"/>
/// span linked to each attempt, as one call's <c>traceparent</c> can continue one trace only.
/// </summary>
/// <remarks>With no listener nothing is parsed or started: <see cref="None"/> is returned, whose methods do nothing.</remarks>
public sealed class DeliveryAttemptSpans : IDisposable
{
    public const string DeliveryIdTag = "liaison.delivery.id";
    public const string MessageIdTag = "liaison.message.id";
    public const string RecipientTag = "liaison.delivery.recipient";
    public const string AttemptTag = "liaison.delivery.attempt";
    public const string OutcomeTag = "liaison.delivery.outcome";
    public const string EndpointTag = "liaison.delivery.endpoint";
    public const string CountTag = "liaison.delivery.count";

    /// <summary>The outcome tag of a delivery claimed but given back unsent (the breaker opened, or its case stopped).</summary>
    public const string NotSent = "not_sent";

    private static readonly DeliveryAttemptSpans None = new([], [], null);

    private readonly long[] _deliveryIds;
    private readonly Activity?[] _attempts;
    private readonly Activity? _batch;

    private DeliveryAttemptSpans(long[] deliveryIds, Activity?[] attempts, Activity? batch)
    {
        _deliveryIds = deliveryIds;
        _attempts = attempts;
        _batch = batch;
    }

    /// <summary>Starts the spans and makes the one the call goes out under current.</summary>
    public static DeliveryAttemptSpans Start(Uri endpoint, IReadOnlyList<ClaimedDelivery> batch)
    {
        if (!GatewayTracing.Source.HasListeners())
        {
            return None;
        }

        var ids = new long[batch.Count];
        var attempts = new Activity?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var claimed = batch[i];
            ids[i] = claimed.Delivery.DeliveryId;

            // The stored context is the parent, never the attempt started before this one: with no context stored (a
            // message taken in before contexts were kept) the attempt starts a trace of its own.
            Activity.Current = null;
            var parent = claimed.TraceParent is { } stored && ActivityContext.TryParse(stored, null, isRemote: true, out var context) ? context : default;
            var attempt = GatewayTracing.Source.StartActivity(GatewayTracing.DeliveryAttempt, ActivityKind.Internal, parent);
            if (attempt is { IsAllDataRequested: true })
            {
                attempt.SetTag(DeliveryIdTag, claimed.Delivery.DeliveryId);
                attempt.SetTag(MessageIdTag, claimed.Delivery.MessageId);
                attempt.SetTag(RecipientTag, claimed.Delivery.Recipient);
                attempt.SetTag(AttemptTag, claimed.Delivery.Attempts);
                attempt.SetTag(EndpointTag, endpoint.Authority);
            }

            attempts[i] = attempt;
        }

        Activity? batchSpan = null;
        if (batch.Count == 1)
        {
            Activity.Current = attempts[0];
        }
        else
        {
            Activity.Current = null;
            var links = attempts.OfType<Activity>().Select(a => new ActivityLink(a.Context));
            batchSpan = GatewayTracing.Source.StartActivity(GatewayTracing.DeliveryBatch, ActivityKind.Internal, default(ActivityContext), links: links);
            batchSpan?.SetTag(EndpointTag, endpoint.Authority);
            batchSpan?.SetTag(CountTag, batch.Count);
        }

        return new DeliveryAttemptSpans(ids, attempts, batchSpan);
    }

    /// <summary>Tags each attempt with what became of its delivery; a failed attempt's span is an error, with the failure.</summary>
    public void Completed(IEnumerable<DeliveryCompletion> completions, IEnumerable<DeliveryRecord> unsent)
    {
        if (_attempts.Length == 0)
        {
            return;
        }

        foreach (var completion in completions)
        {
            if (Attempt(completion.Delivery.DeliveryId) is not { } attempt)
            {
                continue;
            }

            attempt.SetTag(OutcomeTag, OutcomeName(completion.Resolution));
            if (completion.Resolution is DeliveryResolution.RetryLater or DeliveryResolution.DeadLettered)
            {
                attempt.SetStatus(ActivityStatusCode.Error, completion.Error);
            }
        }

        foreach (var delivery in unsent)
        {
            Attempt(delivery.DeliveryId)?.SetTag(OutcomeTag, NotSent);
        }
    }

    /// <summary>The call failed as a whole (its status code); each delivery's outcome is on its attempt.</summary>
    public void CallFailed(string status) => _batch?.SetStatus(ActivityStatusCode.Error, status);

    public void Dispose()
    {
        _batch?.Dispose();
        foreach (var attempt in _attempts)
        {
            attempt?.Dispose();
        }
    }

    /// <summary>The outcome tag's value, e.g. <c>retry_later</c>.</summary>
    public static string OutcomeName(DeliveryResolution resolution) => resolution switch
    {
        DeliveryResolution.Delivered => "delivered",
        DeliveryResolution.DeliveredDuplicate => "delivered_duplicate",
        DeliveryResolution.RetryLater => "retry_later",
        DeliveryResolution.DeadLettered => "dead_lettered",
        DeliveryResolution.Refused => "refused",
        DeliveryResolution.ClarificationRequested => "clarification_requested",
        _ => "unknown",
    };

    private Activity? Attempt(long deliveryId)
    {
        var index = Array.IndexOf(_deliveryIds, deliveryId);
        return index < 0 ? null : _attempts[index];
    }
}
