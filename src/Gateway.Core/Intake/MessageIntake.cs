using System.Security.Cryptography;
using Gateway.Core.Agencies;
using Gateway.Core.Delivery;
using Gateway.Core.Storage;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Intake;

/// <summary>
/// Intake after identity and schema checks: business rules, then the durable commit that makes a receipt.
/// Every refusal is audited before it is returned.
/// </summary>
public sealed class MessageIntake(IntakeRules rules, ReplyRouter replies, IMessageStore store, WorkSignal work, UpdateFeedSignal feed)
{
    private static readonly IntakeRefusal IdReused = new(
        RefusalCode.AlreadyExists,
        "message_id_reused",
        "This message id was already used for a different message; send new content under a new id.",
        [new FieldViolation("header.message_id", "must be new, or be sent again with exactly the same content")]);

    public async Task<IntakeResult> SubmitAsync(
        string rpc, MessageKind kind, Header header, IMessage request, AgencyId caller, CancellationToken cancellationToken)
    {
        var payload = request.ToByteArray();
        var hash = ContentHash(kind, payload);
        var outcome = rules.Check(kind, header, request, caller);
        var route = outcome.Refusal is null && kind.IsReply()
            ? await replies.RouteAsync(header, request, caller, cancellationToken)
            : null;
        if ((outcome.Refusal ?? route?.Refusal) is { } refusal)
        {
            // A replay is answered with its receipt even when a rule that depends on time or state (reply-by, a hold
            // since released) would now refuse it; never to a caller that may not send it.
            if (refusal.Code != RefusalCode.PermissionDenied
                && await store.FindMessageAsync(header.MessageId, cancellationToken) is { } stored)
            {
                if (stored.ContentHash.AsSpan().SequenceEqual(hash))
                {
                    return IntakeResult.Accepted(stored.Receipt);
                }

                refusal = IdReused;
            }

            return await RefuseAsync(rpc, caller, header.MessageId, refusal, cancellationToken);
        }

        var message = new NewMessage(
            header.MessageId,
            kind,
            header.CaseReference,
            caller,
            route?.Recipients ?? outcome.Recipients,
            hash,
            payload,
            header.CreatedAt.ToDateTimeOffset(),
            outcome.HeldForReview ? MessageState.HeldForReview : MessageState.Accepted,
            outcome.HeldForReview ? DeliveryState.HeldForReview : DeliveryState.Pending)
        {
            ReplyBy = header.ReplyBy?.ToDateTimeOffset(),
            HoldReleaseParty = request is SubmitReferralRequest { Referral.Coordination: { } hold } ? AgencyId.Parse(hold.ReleaseParty) : null,
            Link = route?.Link,
        };

        var result = await store.AcceptAsync(message, cancellationToken);
        if (result.Status == AcceptStatus.Accepted)
        {
            work.Notify();
            if (kind == MessageKind.CaseUpdate)
            {
                feed.Notify();
            }
        }

        return result.Status switch
        {
            AcceptStatus.Conflict => IntakeResult.Refused(IdReused),
            AcceptStatus.PreconditionFailed => await RefuseAsync(rpc, caller, header.MessageId, route!.Stale!, cancellationToken),
            _ => IntakeResult.Accepted(result.Receipt!),
        };
    }

    private async Task<IntakeResult> RefuseAsync(string rpc, AgencyId caller, string messageId, IntakeRefusal refusal, CancellationToken cancellationToken)
    {
        await store.RecordRefusalAsync(ToRecord(rpc, caller, messageId, refusal), cancellationToken);
        return IntakeResult.Refused(refusal);
    }

    /// <summary>Audit entry of a refusal: the fields at fault, never their values.</summary>
    public static RefusalRecord ToRecord(string rpc, AgencyId? caller, string? messageId, IntakeRefusal refusal) =>
        new(
            rpc,
            caller?.ToString() ?? "unauthenticated",
            Guid.TryParse(messageId, out _) ? messageId : null,
            refusal.Code.ToString(),
            refusal.Reason,
            refusal.Violations.Select(v => v.Field).ToArray());

    private static byte[] ContentHash(MessageKind kind, byte[] payload)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([(byte)kind]);
        sha.AppendData(payload);
        return sha.GetHashAndReset();
    }
}
