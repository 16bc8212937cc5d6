using Gateway.Core.Intake;
using Gateway.Delivery;
using Gateway.Intake;
using Gateway.Telemetry;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Services;

/// <summary>ClarificationService on the wire; intake does the work.</summary>
public sealed class ClarificationGrpcService(ObservedIntake intake, CommitSignals signals) : ClarificationService.ClarificationServiceBase
{
    public override async Task<AnswerClarificationResponse> AnswerClarification(AnswerClarificationRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, context, MessageKind.ClarificationAnswer, request.Header, request) };
}
