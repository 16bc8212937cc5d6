using Gateway.Core.Intake;
using Gateway.Core.Receipts;
using Gateway.Delivery;
using Gateway.Intake;
using Gateway.Telemetry;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Services;

/// <summary>ClarificationService on the wire; intake does the work.</summary>
public sealed class ClarificationGrpcService(ObservedIntake intake, CommitSignals signals, ReceiptSigner receipts) : ClarificationService.ClarificationServiceBase
{
    public override async Task<AnswerClarificationResponse> AnswerClarification(AnswerClarificationRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.ClarificationAnswer, request.Header, request) };
}
