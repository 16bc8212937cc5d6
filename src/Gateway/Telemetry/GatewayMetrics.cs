using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Core.Intake;
using Gateway.Core.Storage;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway's message counts and latencies, as instruments of the meter <see cref="MeterName"/>. Each fact is recorded
/// where it is decided, once: refusals by the refusal boundary, acceptances by intake, delivery outcomes by the dispatcher
/// once the store has them, overdue replies by the watcher. Durations are in seconds.
/// </summary>
/// <remarks>Recording costs next to nothing while no listener is attached; tags are built only when one is.</remarks>
public sealed class GatewayMetrics
{
    public const string MeterName = "Liaison.Gateway";

    public const string Received = "liaison.messages.received";
    public const string Refused = "liaison.messages.refused";
    public const string Accepted = "liaison.messages.accepted";
    public const string HeldForReview = "liaison.messages.held_for_review";
    public const string Delivered = "liaison.deliveries.delivered";
    public const string Retried = "liaison.deliveries.retried";
    public const string DeadLettered = "liaison.deliveries.dead_lettered";
    public const string Overdue = "liaison.replies.overdue";
    public const string IntakeDuration = "liaison.intake.duration";
    public const string DeliveryAttemptDuration = "liaison.delivery.attempt.duration";
    public const string OpenStreams = "liaison.streams.open";

    public const string ReasonTag = "reason";
    public const string KindTag = "kind";

    private readonly Counter<long> _received;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _held;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _overdue;
    private readonly Histogram<double> _intake;
    private readonly Histogram<double> _attempt;

    /// <param name="meters">The host's meter factory, which owns the meter.</param>
    /// <param name="openStreams">How many streaming calls are open now (<see cref="Streams.StreamDrain.OpenStreams"/>).</param>
    public GatewayMetrics(IMeterFactory meters, Func<int> openStreams)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>(Received, "{message}", "Messages that reached intake's decision.");
        _refused = meter.CreateCounter<long>(
            Refused, "{message}", "Refused messages and calls of agencies, by the refusal's reason (as in the audit and the status).");
        _accepted = meter.CreateCounter<long>(Accepted, "{message}", "Messages accepted and durably committed, by kind; a resent duplicate is not counted again.");
        _held = meter.CreateCounter<long>(HeldForReview, "{message}", "Accepted messages held for human review instead of being delivered.");
        _delivered = meter.CreateCounter<long>(Delivered, "{delivery}", "Deliveries an endpoint applied (or had already applied).");
        _retried = meter.CreateCounter<long>(Retried, "{delivery}", "Failed delivery attempts with a retry scheduled.");
        _deadLettered = meter.CreateCounter<long>(DeadLettered, "{delivery}", "Deliveries dead-lettered after their last failed attempt.");
        _overdue = meter.CreateCounter<long>(Overdue, "{reply}", "Replies found overdue (once per recipient and request).");
        _intake = meter.CreateHistogram<double>(IntakeDuration, "s", "Time from a message's arrival at intake to its durable commit.");
        _attempt = meter.CreateHistogram<double>(
            DeliveryAttemptDuration, "s", "Time of the endpoint call that carried a delivery attempt (a batch's time counts for each delivery in it).");
        meter.CreateObservableGauge(OpenStreams, openStreams, "{stream}", "Streaming calls open now.");
    }

    public void MessageReceived() => _received.Add(1);

    public void MessageRefused(string reason)
    {
        if (_refused.Enabled)
        {
            _refused.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));
        }
    }

    /// <summary>A message committed: counted as accepted (and held, if it is), with its latency from <paramref name="receivedAt"/>.</summary>
    public void MessageAccepted(MessageKind kind, bool heldForReview, long receivedAt)
    {
        if (_accepted.Enabled)
        {
            _accepted.Add(1, new KeyValuePair<string, object?>(KindTag, KindName(kind)));
        }

        if (heldForReview)
        {
            _held.Add(1);
        }

        _intake.Record(Stopwatch.GetElapsedTime(receivedAt).TotalSeconds);
    }

    public void DeliveryAttempted(TimeSpan duration, int deliveries)
    {
        if (!_attempt.Enabled)
        {
            return;
        }

        for (var i = 0; i < deliveries; i++)
        {
            _attempt.Record(duration.TotalSeconds);
        }
    }

    /// <summary>Counts the outcomes the store recorded; one it did not take (its lease lost to another claim) did not happen.</summary>
    public void DeliveriesCompleted(IReadOnlyList<DeliveryCompletion> recorded)
    {
        if (!_delivered.Enabled && !_retried.Enabled && !_deadLettered.Enabled)
        {
            return;
        }

        _delivered.Add(recorded.Count(c => c.Resolution is DeliveryResolution.Delivered or DeliveryResolution.DeliveredDuplicate));
        _retried.Add(recorded.Count(c => c.Resolution == DeliveryResolution.RetryLater));
        _deadLettered.Add(recorded.Count(c => c.Resolution == DeliveryResolution.DeadLettered));
    }

    public void RepliesOverdue(int count) => _overdue.Add(count);

    /// <summary>The kind's tag value, from a fixed set so that a metric's series stay few.</summary>
    public static string KindName(MessageKind kind) => kind switch
    {
        MessageKind.Referral => "referral",
        MessageKind.LocationRequest => "location_request",
        MessageKind.LocationReport => "location_report",
        MessageKind.Withdrawal => "withdrawal",
        MessageKind.CaseUpdate => "case_update",
        MessageKind.HoldRelease => "hold_release",
        MessageKind.HoldCancellation => "hold_cancellation",
        MessageKind.ReferralAnswer => "referral_answer",
        MessageKind.ClarificationAnswer => "clarification_answer",
        MessageKind.Notice => "notice",
        _ => "unknown",
    };
}
