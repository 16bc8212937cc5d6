using Gateway.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Delivery;
using Gateway.Identity;
using Gateway.Telemetry;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Intake;

/// <summary>
/// What every submitting RPC does: run intake for the caller, wake the loops that a commit concerns, and answer with a
/// receipt or a status.
/// </summary>
public static class IntakeCall
{
    public static async Task<Receipt> SubmitAsync(
        this ObservedIntake intake, CommitSignals signals, ServerCallContext context, MessageKind kind, Header header, IMessage request)
    {
        var result = await intake.SubmitAsync(kind, header, request, context.GetCaller(), context.CancellationToken);
        signals.Committed(kind, result);
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
