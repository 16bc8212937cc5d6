using Gateway.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Receipts;
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
/// signed receipt or a status.
/// </summary>
public static class IntakeCall
{
    public static async Task<Receipt> SubmitAsync(
        this ObservedIntake intake, CommitSignals signals, ReceiptSigner receipts, ServerCallContext context, MessageKind kind, Header header, IMessage request)
    {
        var result = await intake.SubmitAsync(kind, header, request, context.GetCaller(), context.CancellationToken);
        signals.Committed(kind, result);
        return result.Refusal is { } refusal
            ? throw RefusalBoundary.Refuse(context, CallRefusal.From(refusal, header.MessageId))
            : ToReceipt(result, receipts);
    }

    /// <summary>
    /// The signed receipt of an accepted message. A replay is signed again rather than answered with the first signature:
    /// its signed fields are the stored ones, so both signatures attest the same facts, and nothing more is stored per message.
    /// </summary>
    public static Receipt ToReceipt(IntakeResult accepted, ReceiptSigner receipts)
    {
        var receipt = accepted.Receipt ?? throw new ArgumentException("A refused message has no receipt.", nameof(accepted));
        return receipts.Sign(new Receipt
        {
            MessageId = receipt.MessageId,
            ResolvedRecipients = { receipt.Recipients },
            AcceptedAt = Timestamp.FromDateTimeOffset(receipt.AcceptedAt),
            AuditSequence = (ulong)receipt.AuditSequence,
            State = receipt.State,
            ContentHash = ByteString.CopyFrom(accepted.ContentHash),
        });
    }
}
