using Gateway.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Identity;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Intake;

/// <summary>What every submitting RPC does: run intake for the caller and answer with a receipt, or refuse the call.</summary>
public static class IntakeCall
{
    public static async Task<Receipt> SubmitAsync(
        this MessageIntake intake, ServerCallContext context, MessageKind kind, Header header, IMessage request)
    {
        var result = await intake.SubmitAsync(kind, header, request, context.GetCaller(), context.CancellationToken);
        return result.Refusal is { } refusal
            ? throw RefusalBoundary.Refuse(context, CallRefusal.From(refusal, header.MessageId))
            : ToReceipt(result.Receipt!);
    }

    public static Receipt ToReceipt(AcceptanceReceipt receipt) =>
        new()
        {
            MessageId = receipt.MessageId,
            ResolvedRecipients = { receipt.Recipients },
            AcceptedAt = Timestamp.FromDateTimeOffset(receipt.AcceptedAt),
            AuditSequence = (ulong)receipt.AuditSequence,
            State = receipt.State,
        };
}
