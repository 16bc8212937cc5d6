using Gateway.Core.Intake;
using Gateway.Core.Receipts;
using Gateway.Delivery;
using Gateway.Intake;
using Gateway.Telemetry;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Services;

/// <summary>FugitiveService on the wire; intake does the work.</summary>
public sealed class FugitiveGrpcService(ObservedIntake intake, CommitSignals signals, ReceiptSigner receipts) : FugitiveService.FugitiveServiceBase
{
    public override async Task<RequestLocationResponse> RequestLocation(RequestLocationRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.LocationRequest, request.Header, request) };

    public override async Task<ReportLocationResponse> ReportLocation(ReportLocationRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.LocationReport, request.Header, request) };

    public override async Task<WithdrawRequestResponse> WithdrawRequest(WithdrawRequestRequest request, ServerCallContext context) =>
        new() { Receipt = await intake.SubmitAsync(signals, receipts, context, MessageKind.Withdrawal, request.Header, request) };
}
