using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The accept transition: what storing a message that passed intake does, decided from the message and what intake read
/// of the message it answers. The message is stored with one delivery per recipient (and, for a request, each one's reply
/// deadline) and one audit entry, with the coordination hold it opens; a reply closes its sender's deadline on the request
/// (if still open) and is late if the request was withdrawn; a withdrawal withdraws its request, closes every deadline on
/// it and withdraws the deliveries never attempted, and goes to every other recipient; a release or cancellation resolves
/// the hold; a clarification answer answers the open question of the recipient that asked. The preconditions are the
/// facts read that another writer may change before the commit.
/// </summary>
public static class IntakeLifecycle
{
    private static readonly IntakeRefusal RequestAlreadyWithdrawn = new(
        RefusalCode.FailedPrecondition,
        "request_already_withdrawn",
        "The location request was already withdrawn.",
        [new FieldError("withdrawal.request_message_id", "must be a request that is not yet withdrawn")]);

    /// <summary>A clarification answer to a question that is not (or no longer) open.</summary>
    internal static readonly IntakeRefusal NoOpenQuestion = new(
        RefusalCode.FailedPrecondition,
        "no_open_question",
        "The recipient has no open question about this message: it asked none, or its question was answered already.",
        [new FieldError("answer.recipient", "must be a recipient of the message that asked a question about it not yet answered")]);

    /// <param name="answered">What was read of the message <see cref="NewMessage.Link"/> names; null for a message with no link.</param>
    public static AcceptDecision Accept(NewMessage message, AnsweredMessage? answered)
    {
        if (message.Link is not { } link)
        {
            return Store(message, [new MessageIdFree(message.MessageId)], message.State, Names(message.Recipients), [], []);
        }

        if (answered is null)
        {
            throw new ArgumentNullException(nameof(answered), "A message that answers another is decided on what was read of it.");
        }

        var sender = message.Sender.ToString();
        var target = link.TargetMessageId;
        var by = new AuditDetails { By = message.MessageId };
        return link.Kind switch
        {
            LinkKind.Reply => Reply(message, target, answered, sender, by),
            LinkKind.Withdraw => answered.Withdrawn ? AcceptDecision.Refused(RequestAlreadyWithdrawn) : Withdraw(message, target, answered, sender, by),
            LinkKind.Clarify => Clarify(message, target, answered, sender, by),
            _ when answered.Hold != HoldState.Open => AcceptDecision.Refused(HoldNotOpen(message.Kind)),
            LinkKind.ReleaseHold => Resolve(message, target, HoldState.Released, AuditKinds.HoldReleased, sender, by),
            LinkKind.CancelHold => Resolve(message, target, HoldState.Cancelled, AuditKinds.HoldCancelled, sender, by),
            _ => throw new ArgumentOutOfRangeException(nameof(message), link.Kind, "Unknown link kind."),
        };
    }

    /// <summary>
    /// A reply is late once its request is withdrawn, and closes its sender's deadline on the request while that is open
    /// (overdue or not): the answer of that recipient only, audited once. A reply from a recipient whose deadline is
    /// closed (it answered before, refused the request, or the request was withdrawn) is stored and routed, nothing more.
    /// </summary>
    private static AcceptDecision Reply(NewMessage message, string request, AnsweredMessage answered, string sender, AuditDetails by)
    {
        List<Precondition> preconditions = [new MessageIdFree(message.MessageId)];
        if (!answered.Withdrawn)
        {
            preconditions.Add(new RequestNotWithdrawn(request));
        }

        if (!answered.ReplyAwaited)
        {
            return Store(message, preconditions, State(message, answered), Names(message.Recipients), [], []);
        }

        preconditions.Add(new AwaitedReplyOpen(request, sender));
        return Store(
            message,
            preconditions,
            State(message, answered),
            Names(message.Recipients),
            [new CloseAwaitedReply(request, sender, ReplyClosure.Answered, message.MessageId)],
            [new AuditEntry(AuditKinds.RequestAnswered, sender, request, by with { Recipient = sender })]);
    }

    /// <summary>
    /// An answer to the question the recipient asked on its delivery of the message, which must still be open: the
    /// question is marked answered, so a second answer is refused, and that recipient's reply deadline starts again.
    /// </summary>
    private static AcceptDecision Clarify(NewMessage message, string asked, AnsweredMessage answered, string sender, AuditDetails by)
    {
        if (answered is not { Deliveries: [{ State: DeliveryState.ClarificationRequested } question], ReplyDue: { } due })
        {
            return AcceptDecision.Refused(NoOpenQuestion);
        }

        return Store(
            message,
            [new MessageIdFree(message.MessageId), new DeliveryUnchanged(question.DeliveryId, question.State, question.Attempts)],
            message.State,
            Names(message.Recipients),
            [new AnswerClarification(question.DeliveryId), new ReopenAwaitedReply(asked, question.Recipient, due)],
            [new AuditEntry(AuditKinds.ClarificationAnswered, sender, asked, by with { Delivery = question.DeliveryId, Recipient = question.Recipient })]);
    }

    /// <summary>A release or cancellation of a hold that was open when read, and must still be.</summary>
    private static AcceptDecision Resolve(NewMessage message, string referral, HoldState resolved, string auditKind, string sender, AuditDetails by) =>
        Store(
            message,
            [new MessageIdFree(message.MessageId), new HoldOpen(referral)],
            message.State,
            Names(message.Recipients),
            [new ResolveHold(referral, resolved, message.MessageId)],
            [new AuditEntry(auditKind, sender, referral, by)]);

    private static MessageState State(NewMessage message, AnsweredMessage answered) => answered.Withdrawn ? MessageState.Late : message.State;

    /// <summary>
    /// Deliveries never attempted are withdrawn: their recipients never saw the request. Every other recipient may have,
    /// and gets the withdrawal. Every delivery is a precondition, since a claim or a replay changes which is which.
    /// </summary>
    private static AcceptDecision Withdraw(NewMessage message, string request, AnsweredMessage answered, string sender, AuditDetails by)
    {
        var deliveries = answered.Deliveries.OrderBy(d => d.DeliveryId).ToList();
        var withdrawn = deliveries.Where(d => d.Attempts == 0 && d.State is DeliveryState.Pending or DeliveryState.HeldForReview).ToList();
        var recipients = deliveries.Except(withdrawn).Where(d => d.State != DeliveryState.Withdrawn).Select(d => d.Recipient).ToArray();
        List<Precondition> preconditions = [new MessageIdFree(message.MessageId), new RequestNotWithdrawn(request)];
        preconditions.AddRange(deliveries.Select(d => new DeliveryUnchanged(d.DeliveryId, d.State, d.Attempts)));
        List<RowChange> rows = [new WithdrawRequest(request)];
        rows.AddRange(withdrawn.Select(d => new WithdrawDelivery(d.DeliveryId)));
        rows.AddRange(deliveries.Select(d => new CloseAwaitedReply(request, d.Recipient, ReplyClosure.Withdrawn, message.MessageId)));
        List<AuditEntry> audit = [new AuditEntry(AuditKinds.RequestWithdrawn, sender, request, by)];
        audit.AddRange(withdrawn.Select(d => new AuditEntry(
            AuditKinds.DeliveryWithdrawn, sender, request, new AuditDetails { Delivery = d.DeliveryId, Recipient = d.Recipient })));
        return Store(message, preconditions, message.State, recipients, rows, audit, effectEntriesFirst: true);
    }

    /// <summary>
    /// The change set that stores the message with its deliveries, its entry and its hold, together with
    /// <paramref name="effects"/> on the message it answers. The effects' entries follow the message's, except a
    /// withdrawal's, which the log has always shown first: the request is withdrawn, then the withdrawal goes out.
    /// </summary>
    private static AcceptDecision Store(
        NewMessage message,
        IReadOnlyList<Precondition> preconditions,
        MessageState state,
        IReadOnlyList<string> recipients,
        IReadOnlyList<RowChange> effects,
        IReadOnlyList<AuditEntry> effectEntries,
        bool effectEntriesFirst = false)
    {
        var sender = message.Sender.ToString();
        var releaseParty = message.HoldReleaseParty?.ToString();
        var acceptedIndex = effectEntriesFirst ? effectEntries.Count : 0;
        var rows = new List<RowChange>(effects.Count + 2) { new InsertMessage(message, state, recipients, message.InitialDeliveryState, acceptedIndex) };
        if (releaseParty is not null)
        {
            rows.Add(new OpenHold(message.MessageId, releaseParty, sender));
        }

        if (message.CaseOwner is { } owner && message.JoiningParties.Count > 0)
        {
            rows.Add(new JoinCase(message.CaseReference, owner.ToString(), Names(message.JoiningParties)));
        }

        rows.AddRange(effects);

        // One entry records the message, the deliveries created with it (one per recipient, in the state given) and
        // the coordination hold it opens, if any.
        var accepted = new AuditEntry(
            state == MessageState.HeldForReview ? AuditKinds.MessageHeldForReview : AuditKinds.MessageAccepted,
            sender,
            message.MessageId,
            new AuditDetails
            {
                Kind = message.Kind,
                Case = message.CaseReference,
                Recipients = recipients,
                State = state,
                Deliveries = message.InitialDeliveryState,
                HoldReleaseParty = releaseParty,
                Routes = RoutesOf(message, recipients),
            });
        var audit = new List<AuditEntry>(effectEntries.Count + 1);
        audit.AddRange(effectEntries);
        audit.Insert(acceptedIndex, accepted);
        return AcceptDecision.Accepted(new ChangeSet(preconditions, rows, audit), message.MessageId, recipients, state, acceptedIndex);
    }

    /// <summary>
    /// Why each recipient was chosen: as intake or the router decided it, or, for a message that links to another (a
    /// reply, a withdrawal, a release), by that link. Null when nothing was recorded, so that the entry stays as it was.
    /// </summary>
    private static AuditRoute[]? RoutesOf(NewMessage message, IReadOnlyList<string> recipients)
    {
        if (message.Link is not null)
        {
            return [.. recipients.Select(r => new AuditRoute(r, Routing.RouteReasons.Reply))];
        }

        return message.Routes.Count == 0 ? null : [.. message.Routes];
    }

    private static IntakeRefusal HoldNotOpen(MessageKind kind) =>
        new(
            RefusalCode.FailedPrecondition,
            "hold_not_open",
            "The coordination hold was already released or cancelled.",
            [new FieldError(HoldField(kind) + ".referral_message_id", "must be a referral whose hold is still open")]);

    /// <summary>The request field that names the referral, for the message kinds that release or cancel a hold.</summary>
    private static string HoldField(MessageKind kind) => kind switch
    {
        MessageKind.HoldRelease => "release",
        MessageKind.HoldCancellation => "cancellation",
        MessageKind.CaseUpdate => "update.hold_release",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "This kind of message does not act on a hold."),
    };

    private static string[] Names(IReadOnlyList<Agencies.AgencyId> agencies)
    {
        var names = new string[agencies.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = agencies[i].ToString();
        }

        return names;
    }
}
