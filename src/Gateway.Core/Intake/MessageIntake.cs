using System.Security.Cryptography;
using Gateway.Core.Agencies;
using Gateway.Core.Delivery;
using Gateway.Core.Storage;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Intake;

/// <summary>
/// Intake after identity and schema checks: business rules, then the durable commit that makes a receipt.
/// A refusal is returned, never audited here: the host's refusal boundary audits it once and answers it.
/// </summary>
public sealed class MessageIntake(IntakeRules rules, ReplyRouter replies, IIntakeStore store, WorkSignal work, UpdateFeedSignal feed)
{
    private static readonly IntakeRefusal IdReused = new(
        RefusalCode.AlreadyExists,
        "message_id_reused",
        "This message id was already used for a different message; send new content under a new id.",
        [new FieldError("header.message_id", "must be new, or be sent again with exactly the same content")]);

    public async Task<IntakeResult> SubmitAsync(
        MessageKind kind, Header header, IMessage request, AgencyId caller, CancellationToken cancellationToken) =>
        await CommitAsync(await PrepareAsync(kind, header, request, caller, cancellationToken), cancellationToken);

    /// <summary>
    /// Everything before the commit: business rules and routing, or the answer already decided (a refusal, a replay's
    /// receipt). Messages of one stream are prepared one after the other and committed in that order.
    /// </summary>
    public async Task<PreparedMessage> PrepareAsync(
        MessageKind kind, Header header, IMessage request, AgencyId caller, CancellationToken cancellationToken)
    {
        var payload = request.ToByteArray();
        var hash = ContentHash(kind, payload);
        var outcome = rules.Check(kind, header, request, caller);
        var route = outcome.Refusal is null && kind.IsRoutedByGateway()
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
                    return new PreparedMessage(IntakeResult.Replayed(stored.Receipt), null, null);
                }

                refusal = IdReused;
            }

            return new PreparedMessage(IntakeResult.Refused(refusal), null, null);
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
        return new PreparedMessage(null, message, route?.Stale);
    }

    /// <summary>
    /// Commits a prepared message. The store takes it before this returns, so messages committed one after the other
    /// are stored in that order; the task completes once it is on disk.
    /// </summary>
    public Task<IntakeResult> CommitAsync(PreparedMessage prepared, CancellationToken cancellationToken)
    {
        if (prepared.Decided is { } decided)
        {
            return Task.FromResult(decided);
        }

        var accept = store.AcceptAsync(prepared.Message!, cancellationToken);
        return CompleteAsync(prepared, accept);
    }

    private async Task<IntakeResult> CompleteAsync(PreparedMessage prepared, Task<AcceptResult> accept)
    {
        var result = await accept;
        if (result.Status == AcceptStatus.Accepted)
        {
            work.Notify();
            if (prepared.Message!.Kind == MessageKind.CaseUpdate)
            {
                feed.Notify();
            }
        }

        return result.Status switch
        {
            AcceptStatus.Conflict => IntakeResult.Refused(IdReused),
            AcceptStatus.PreconditionFailed => IntakeResult.Refused(prepared.Stale!),
            AcceptStatus.Duplicate => IntakeResult.Replayed(result.Receipt!),
            _ => IntakeResult.Accepted(result.Receipt!),
        };
    }

    /// <summary>SHA-256 of the kind (one byte) followed by the payload.</summary>
    private static byte[] ContentHash(MessageKind kind, byte[] payload)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([(byte)kind]);
        sha.AppendData(payload);
        return sha.GetHashAndReset();
    }
}
