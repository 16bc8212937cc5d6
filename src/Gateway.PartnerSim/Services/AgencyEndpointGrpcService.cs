using Gateway.PartnerSim.Hosting;
using Gateway.PartnerSim.Inbox;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.PartnerSim.Services;

/// <summary>AgencyEndpointService on the wire; the reception does the work.</summary>
public sealed class AgencyEndpointGrpcService(Reception reception, PartnerSimOptions options) : AgencyEndpointService.AgencyEndpointServiceBase
{
    public override async Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context)
    {
        var outcome = (await ReceiveAsync([request], context))[0];
        return new DeliverResponse { Outcome = outcome, Refusal = Refusal(outcome), ClarificationQuestion = Question(outcome) };
    }

    public override async Task<DeliverBatchResponse> DeliverBatch(DeliverBatchRequest request, ServerCallContext context)
    {
        var outcomes = await ReceiveAsync(request.Deliveries, context);
        var response = new DeliverBatchResponse();
        response.Results.Add(request.Deliveries.Select((delivery, i) => new DeliverResult
        {
            DeliveryId = delivery.DeliveryId,
            Outcome = outcomes[i],
            Refusal = Refusal(outcomes[i]),
            ClarificationQuestion = Question(outcomes[i]),
        }));
        return response;
    }

    private EndpointRefusal? Refusal(DeliveryOutcome outcome) =>
        outcome == DeliveryOutcome.Refused ? new EndpointRefusal { Reason = options.RefuseReason, Text = options.RefuseText } : null;

    private string Question(DeliveryOutcome outcome) => outcome == DeliveryOutcome.ClarificationRequested ? options.Question : "";

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
