using Grpc.Core;
using Interagency.V1;

namespace Gateway.Bench;

/// <summary>
/// An agency endpoint that keeps nothing: every delivery is answered "applied" at once. Behind the forwarding proxy it
/// makes the intake table's naive non-durable proxy, the reference the foundation issue sets its goal against.
/// </summary>
public sealed class NullEndpointService : AgencyEndpointService.AgencyEndpointServiceBase
{
    private static readonly Task<DeliverResponse> Applied = Task.FromResult(new DeliverResponse { Outcome = DeliveryOutcome.Applied });

    public override Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context) => Applied;
}
