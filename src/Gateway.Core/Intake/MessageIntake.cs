using System.Security.Cryptography;
using Gateway.Core.Agencies;
using Gateway.Core.Deadlines;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Intake;

/// <summary>
/// Intake after identity and schema checks: business rules and routing, the lifecycle's decision on what the message
/// finds, then the durable commit that makes a receipt. A refusal is returned, never audited here: the host's refusal
/// boundary audits it once and answers it.
/// </summary>
public sealed class MessageIntake(IntakeRules rules, ReplyRouter replies, IIntakeStore store, ReplyDeadlines deadlines)
{
    /// <summary>
    /// How many times a message is decided when what it answers keeps changing between the read and the commit (two
    /// replies to one request at once, a withdrawal while its request is being delivered). Each new decision reads
    /// what the last commit left, so one more is almost always the last.
    /// </summary>
    private const int MaxAttempts = 5;

    private static readonly IntakeRefusal IdReused = new(
        RefusalCode.AlreadyExists,
        "message_id_reused",
        "This message id was already used for a different message; send new content under a new id.",
        [new FieldError("header.message_id", "must be new, or be sent again with exactly the same content")]);

    public async Task<IntakeResult> SubmitAsync(
        MessageKind kind, Header header, IMessage request, AgencyId caller, CancellationToken cancellationToken) =>
        await CommitAsync(await PrepareAsync(kind, header, request, caller, cancellationToken), cancellationToken);

    /// <summary>
    /// Everything before the commit: business rules, routing and the lifecycle's decision, or the answer already decided
    /// (a refusal, a replay's receipt). Messages of one stream are prepared one after the other and committed in that order.
    /// </summary>
    public Task<PreparedMessage> PrepareAsync(
        MessageKind kind, Header header, IMessage request, AgencyId caller, CancellationToken cancellationToken) =>
        PrepareAsync(kind, header, request, caller, traceParent: null, cancellationToken);

    /// <inheritdoc cref="PrepareAsync(MessageKind, Header, IMessage, AgencyId, CancellationToken)"/>
    /// <param name="traceParent">The W3C <c>traceparent</c> of the submitting call, stored with the message (<see cref="NewMessage.TraceParent"/>).</param>
    public Task<PreparedMessage> PrepareAsync(
        MessageKind kind, Header header, IMessage request, AgencyId caller, string? traceParent, CancellationToken cancellationToken)
    {
        var payload = request.ToByteArray();
        var submission = new Submission(kind, header, request, caller, payload, ContentHash(kind, payload)) { TraceParent = traceParent };
        return PrepareAsync(submission, 1, cancellationToken);
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

        var applying = store.AcceptAsync(prepared.Decision!.Changes!, cancellationToken);
        return CompleteAsync(prepared, applying, cancellationToken);
    }

    private async Task<PreparedMessage> PrepareAsync(Submission submission, int attempt, CancellationToken cancellationToken)
    {
        var (kind, header, request, caller, payload, hash) = submission;
        var outcome = rules.Check(kind, header, request, caller);
        var route = outcome.Refusal is not null ? null
            : kind.IsRoutedByGateway() ? await replies.RouteAsync(header, request, caller, cancellationToken)
            : await replies.RouteAddressedAsync(header, outcome.Recipients, caller, cancellationToken);
        var refusal = outcome.Refusal ?? route?.Refusal;
        AcceptDecision? decision = null;
        if (refusal is null)
        {
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
                ReplyDue = deadlines.DueOf(header, request),
                HoldReleaseParty = request is SubmitReferralRequest { Referral.Coordination: { } hold } ? AgencyId.Parse(hold.ReleaseParty) : null,
                Link = route?.Link,
                CaseOwner = route?.CaseOwner,
                JoiningParties = route?.JoiningParties ?? [],
                CopiedTo = outcome.Copy,
                Routes = kind.IsRoutedByGateway() ? route?.Routes ?? [] : outcome.Routes,
                TraceParent = submission.TraceParent,
            };
            decision = IntakeLifecycle.Accept(message, route?.Answered);
            refusal = decision.Refusal;
        }

        if (refusal is null)
        {
            return new PreparedMessage(submission, attempt, null, decision);
        }

        // A replay is answered with its receipt even when a rule that depends on time or state (reply-by, a hold
        // since released) would now refuse it; never to a caller that may not send it.
        if (refusal.Code != RefusalCode.PermissionDenied
            && await store.FindMessageAsync(header.MessageId, cancellationToken) is { } stored)
        {
            return new PreparedMessage(submission, attempt, Replay(submission, stored), null);
        }

        return new PreparedMessage(submission, attempt, IntakeResult.Refused(refusal), null);
    }

    private async Task<IntakeResult> CompleteAsync(PreparedMessage prepared, Task<ChangeOutcome> applying, CancellationToken cancellationToken)
    {
        var outcome = await applying;
        switch (outcome.Failed)
        {
            case null:
                return IntakeResult.Accepted(prepared.Decision!.ReceiptOf(outcome), prepared.Submission.ContentHash);
            case MessageIdFree:
                var stored = await store.FindMessageAsync(prepared.Submission.Header.MessageId, cancellationToken)
                    ?? throw new InvalidOperationException("The store reported the message id taken but has no message under it.");
                return Replay(prepared.Submission, stored);
            case var _ when prepared.Attempt >= MaxAttempts:
                throw new InvalidOperationException(
                    $"The message it answers changed before each of {MaxAttempts} commits; the last precondition to fail was {outcome.Failed.GetType().Name}.");
            default:
                return await CommitAsync(await PrepareAsync(prepared.Submission, prepared.Attempt + 1, cancellationToken), cancellationToken);
        }
    }

    /// <summary>The same id again: its stored receipt if the content is the same, else the id was reused.</summary>
    private static IntakeResult Replay(Submission submission, StoredMessage stored) =>
        stored.ContentHash.AsSpan().SequenceEqual(submission.ContentHash)
            ? IntakeResult.Replayed(stored.Receipt, stored.ContentHash)
            : IntakeResult.Refused(IdReused);

    /// <summary>SHA-256 of the kind (one byte) followed by the payload.</summary>
    private static byte[] ContentHash(MessageKind kind, byte[] payload)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([(byte)kind]);
        sha.AppendData(payload);
        return sha.GetHashAndReset();
    }
}
