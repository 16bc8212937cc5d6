using System.Diagnostics;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway's own spans, of the activity source <see cref="SourceName"/>: intake's decision and its durable commit
/// (children of the call's server span, so of the caller's trace when it sent a <c>traceparent</c>), and each delivery
/// attempt of the dispatcher, in the trace stored with its message (<see cref="DeliveryAttemptSpans"/>).
/// </summary>
/// <remarks>With no listener, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and costs a check.</remarks>
public static class GatewayTracing
{
    public const string SourceName = "Liaison.Gateway";

    public const string IntakeDecide = "intake.decide";
    public const string IntakeCommit = "intake.commit";
    public const string DeliveryAttempt = "delivery.attempt";
    public const string DeliveryBatch = "delivery.batch";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The trace context a message is stored with: the submitting call's server span, current when intake starts. Not
    /// the commit span: the message's row is decided before the commit starts. The server span is the call that brought
    /// the message, parent of its decision and commit, and the attempts join them under it. ASP.NET Core starts that
    /// span even with no tracer listening (its logs are correlated by it), so a caller's trace id is kept whenever the
    /// caller sent one.
    /// </summary>
    internal static string? CallTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } call ? call.Id : null;
}
