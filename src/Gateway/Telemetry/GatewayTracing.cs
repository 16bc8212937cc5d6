using System.Diagnostics;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway's own spans, of the activity source <see cref="SourceName"/>: intake's decision and its durable commit
/// (children of the call's server span, so of the caller's trace when it sent a <c>traceparent</c>), and each delivery
/// attempt of the dispatcher (the parent of its gRPC client span, which carries the trace to the endpoint).
/// </summary>
/// <remarks>With no listener, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and costs a check.</remarks>
public static class GatewayTracing
{
    public const string SourceName = "Liaison.Gateway";

    public const string IntakeDecide = "intake.decide";
    public const string IntakeCommit = "intake.commit";
    public const string DeliveryAttempt = "delivery.attempt";

    internal static readonly ActivitySource Source = new(SourceName);
}
