using System.Diagnostics;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Telemetry;

/// <summary>
/// Intake as every submitting call runs it, in two spans (the decision, then the durable commit) and counted once:
/// received when it reaches the decision, accepted (or held) when committed. Refusals are counted by the refusal boundary.
/// The message is stored with the trace context of the call that brought it (<see cref="Core.Storage.NewMessage.TraceParent"/>).
/// </summary>
public sealed class ObservedIntake(MessageIntake intake, GatewayMetrics metrics)
{
    public async Task<IntakeResult> SubmitAsync(
        MessageKind kind, Header header, IMessage request, AgencyId caller, CancellationToken cancellationToken)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        var prepared = await PrepareAsync(kind, header, request, caller, cancellationToken);
        return await CommitAsync(kind, prepared, receivedAt, cancellationToken);
    }

    /// <inheritdoc cref="MessageIntake.PrepareAsync(MessageKind, Header, IMessage, AgencyId, CancellationToken)"/>
    public async Task<PreparedMessage> PrepareAsync(
        MessageKind kind, Header header, IMessage request, AgencyId caller, CancellationToken cancellationToken)
    {
        metrics.MessageReceived();
        var traceParent = GatewayTracing.CallTraceParent();
        using var span = GatewayTracing.Source.StartActivity(GatewayTracing.IntakeDecide);
        span?.SetTag(GatewayMetrics.KindTag, GatewayMetrics.KindName(kind));
        return await intake.PrepareAsync(kind, header, request, caller, traceParent, cancellationToken);
    }

    /// <inheritdoc cref="MessageIntake.CommitAsync(PreparedMessage, CancellationToken)"/>
    public async Task<IntakeResult> CommitAsync(MessageKind kind, PreparedMessage prepared, long receivedAt, CancellationToken cancellationToken)
    {
        using var span = GatewayTracing.Source.StartActivity(GatewayTracing.IntakeCommit);
        var result = await intake.CommitAsync(prepared, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            span?.SetStatus(ActivityStatusCode.Error, refusal.Reason);
        }
        else if (!result.Duplicate)
        {
            metrics.MessageAccepted(kind, result.Receipt!.State == MessageState.HeldForReview, receivedAt);
        }

        return result;
    }
}
