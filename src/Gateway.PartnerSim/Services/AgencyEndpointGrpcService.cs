using Gateway.PartnerSim.Inbox;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.PartnerSim.Services;

/// <summary>AgencyEndpointService on the wire; the reception does the work.</summary>
public sealed class AgencyEndpointGrpcService(Reception reception) : AgencyEndpointService.AgencyEndpointServiceBase
{
    public override async Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context)
    {
        var outcomes = await ReceiveAsync([request], context);
        return new DeliverResponse { Outcome = outcomes[0] };
    }

    public override async Task<DeliverBatchResponse> DeliverBatch(DeliverBatchRequest request, ServerCallContext context)
    {
        var outcomes = await ReceiveAsync(request.Deliveries, context);
        var response = new DeliverBatchResponse();
        response.Results.Add(request.Deliveries.Select((delivery, i) => new DeliverResult { DeliveryId = delivery.DeliveryId, Outcome = outcomes[i] }));
        return response;
    }

    private async Task<IReadOnlyList<DeliveryOutcome>> ReceiveAsync(IReadOnlyList<DeliverRequest> deliveries, ServerCallContext context)
    {
        if (DeliveryCheck.Problem(deliveries) is { } problem)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
        }

        ReceptionAnswer answer;
        try
        {
            answer = await reception.ReceiveAsync(deliveries, context.CancellationToken);
        }
        catch (InboxUnavailableException unavailable)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, unavailable.Message));
        }

        return answer.Refusal is null ? answer.Outcomes : throw new RpcException(new Status(StatusCode.Unavailable, answer.Refusal));
    }
}
