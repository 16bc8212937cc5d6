using Gateway.Core.Intake;
using Gateway.Core.Receipts;
using Gateway.Delivery;
using Gateway.Intake;
using Gateway.Telemetry;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Services;

/// <summary>ReferralService on the wire; intake does the work.</summary>
public sealed class ReferralGrpcService(ObservedIntake intake, CommitSignals signals, ReceiptSigner receipts) : ReferralService.ReferralServiceBase
{
    public override async Task<SubmitReferralResponse> SubmitReferral(SubmitReferralRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.Referral, request.Header, request) };

    public override async Task<ReleaseHoldResponse> ReleaseHold(ReleaseHoldRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.HoldRelease, request.Header, request) };

    public override async Task<CancelHoldResponse> CancelHold(CancelHoldRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.HoldCancellation, request.Header, request) };

    public override async Task<AnswerReferralResponse> AnswerReferral(AnswerReferralRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.ReferralAnswer, request.Header, request) };
}
