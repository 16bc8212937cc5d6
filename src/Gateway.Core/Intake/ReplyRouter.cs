using Gateway.Core.Audit;
using Gateway.Core.Agencies;
using Gateway.Core.Deadlines;
using Gateway.Core.Lifecycle;
using Gateway.Core.Messages;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Intake;

/// <summary>
/// Routes replies back along the message they answer: a location report, a referral answer or a translation result to
/// the request's sender, a withdrawal to every agency the request reached, a hold's release or cancellation to every
/// party of the referral, a clarification answer to the recipient that asked; never above the handling code the
/// answered message's route allows (<see cref="DeliveryRoutes.CheckReply"/>). Routes a case update to the other parties
/// of its case that a route agreement lets the sender reach. Only the party entitled to each may send it. Finds the
/// case every message belongs to (<see cref="CaseRules"/>) and who it makes a party of it. What a reply does to the
/// message it answers is the lifecycle's decision (<see cref="IntakeLifecycle"/>), on what the router read.
/// </summary>
public sealed class ReplyRouter(IIntakeStore store, ReplyDeadlines deadlines, IAgencyDirectoryProvider directories)
{
    public async Task<ReplyRoute> RouteAsync(Header header, IMessage body, AgencyId caller, CancellationToken cancellationToken)
    {
        var route = await RouteReplyAsync(header, body, caller, cancellationToken);
        return route is { Refusal: null, Link: not null } ? await WithinLinkAsync(route, header, caller, cancellationToken) : route;
    }

    /// <summary>
    /// The case of a message its sender addresses to <paramref name="recipients"/> (already route-checked): the one case
    /// under its reference the sender takes part in, or a new one the sender opens, which the recipients join.
    /// </summary>
    public async Task<ReplyRoute> RouteAddressedAsync(
        Header header, IReadOnlyList<AgencyId> recipients, AgencyId caller, CancellationToken cancellationToken)
    {
        var memberships = await store.GetCasePartiesAsync(header.CaseReference, cancellationToken);
        var (owner, refusal) = CaseRules.ForAddressed(memberships, caller);
        return refusal is not null
            ? ReplyRoute.Refused(refusal)
            : new ReplyRoute(null, recipients, null, null)
            {
                CaseOwner = owner,
                JoiningParties = CaseRules.Joining(memberships, owner!.Value, [caller, .. recipients]),
            };
    }

    private Task<ReplyRoute> RouteReplyAsync(Header header, IMessage body, AgencyId caller, CancellationToken cancellationToken) => body switch
    {
        ReportLocationRequest r => RouteReportAsync(header, r.Report.RequestMessageId, caller, cancellationToken),
        AnswerReferralRequest a => RouteReferralAnswerAsync(header, a.Answer.ReferralMessageId, caller, cancellationToken),
        WithdrawRequestRequest w => RouteWithdrawalAsync(header, w.Withdrawal.RequestMessageId, caller, cancellationToken),
        ReleaseHoldRequest r => RouteHoldAsync(header, r.Release.ReferralMessageId, "release", LinkKind.ReleaseHold, caller, cancellationToken),
        CancelHoldRequest c => RouteHoldAsync(header, c.Cancellation.ReferralMessageId, "cancellation", LinkKind.CancelHold, caller, cancellationToken),
        PublishUpdatesRequest { Update.HoldRelease: { } release } =>
            RouteHoldAsync(header, release.ReferralMessageId, "update.hold_release", LinkKind.ReleaseHold, caller, cancellationToken),
        PublishUpdatesRequest { Update.TranslationResult: { } result } => RouteTranslationResultAsync(header, result.RequestMessageId, caller, cancellationToken),
        PublishUpdatesRequest => RouteCaseUpdateAsync(header, caller, cancellationToken),
        AnswerClarificationRequest a => RouteClarificationAsync(header, a.Answer, caller, cancellationToken),
        _ => throw new ArgumentException($"{body.Descriptor.Name} is not a reply.", nameof(body)),
    };

    private Task<ReplyRoute> RouteReportAsync(Header header, string requestId, AgencyId caller, CancellationToken cancellationToken) =>
        RouteAnswerAsync(header, requestId, caller, LocationRequests, cancellationToken);

    private Task<ReplyRoute> RouteReferralAnswerAsync(Header header, string referralId, AgencyId caller, CancellationToken cancellationToken) =>
        RouteAnswerAsync(header, referralId, caller, Referrals, cancellationToken);

    private Task<ReplyRoute> RouteTranslationResultAsync(Header header, string requestId, AgencyId caller, CancellationToken cancellationToken) =>
        RouteAnswerAsync(header, requestId, caller, TranslationRequests, cancellationToken);

    /// <summary>
    /// An answer to a request (a location report, a referral answer, a translation result): only a recipient of the
    /// request may send it, it goes to the request's sender, and it closes the deadline of that recipient only.
    /// </summary>
    private async Task<ReplyRoute> RouteAnswerAsync(
        Header header, string requestId, AgencyId caller, AnsweredKind answered, CancellationToken cancellationToken)
    {
        var request = await store.FindMessageAsync(requestId, cancellationToken);
        if (request is null || !answered.Matches(request))
        {
            return ReplyRoute.Refused(answered.Unknown);
        }

        // Who may answer comes before the case check: a stranger's refusal must not confirm a guessed case reference.
        var replier = caller.ToString();
        if (!request.Receipt.Recipients.Contains(replier))
        {
            return ReplyRoute.Refused(Denied("not_a_recipient", "must be an agency the request was sent to"));
        }

        if (Check(header, request) is { } mismatch)
        {
            return ReplyRoute.Refused(mismatch);
        }

        var awaited = await store.IsReplyAwaitedAsync(requestId, replier, cancellationToken);
        return new ReplyRoute(
            null, [AgencyId.Parse(request.Sender)], new MessageLink(LinkKind.Reply, requestId), AnsweredMessage.Replied(request, awaited))
        {
            Target = request,
        };
    }

    private async Task<ReplyRoute> RouteWithdrawalAsync(Header header, string requestId, AgencyId caller, CancellationToken cancellationToken)
    {
        var request = await store.FindMessageAsync(requestId, cancellationToken);
        if (request is not { Kind: MessageKind.LocationRequest })
        {
            return ReplyRoute.Refused(UnknownRequest("withdrawal.request_message_id"));
        }

        // Who may withdraw comes before the case check: a stranger's refusal must not confirm a guessed case reference.
        if (request.Sender != caller.ToString())
        {
            return ReplyRoute.Refused(Denied("not_the_requester", "must be the agency that sent the request"));
        }

        if (Check(header, request) is { } mismatch)
        {
            return ReplyRoute.Refused(mismatch);
        }

        // The lifecycle decides the recipients from the request's deliveries: every agency the request may have reached.
        var deliveries = request.WithdrawnAt is null ? await store.GetDeliveriesAsync(requestId, cancellationToken) : [];
        return new ReplyRoute(null, [], new MessageLink(LinkKind.Withdraw, requestId), AnsweredMessage.Request(request, deliveries)) { Target = request };
    }

    private async Task<ReplyRoute> RouteHoldAsync(
        Header header, string referralId, string field, LinkKind kind, AgencyId caller, CancellationToken cancellationToken)
    {
        var path = $"{field}.referral_message_id";
        var hold = await store.FindHoldAsync(referralId, cancellationToken);
        var referral = hold is null ? null : await store.FindMessageAsync(referralId, cancellationToken);
        if (hold is null || referral is null)
        {
            return ReplyRoute.Refused(new IntakeRefusal(
                RefusalCode.NotFound,
                "unknown_hold",
                "No referral with a coordination hold has this id.",
                [new FieldError(path, "must be the message id of a referral with a coordination hold")]));
        }

        // Who may resolve the hold comes before the case check: a stranger's refusal must not confirm a guessed case reference.
        var releasing = kind == LinkKind.ReleaseHold;
        if (releasing ? hold.ReleaseParty != caller.ToString() : hold.Owner != caller.ToString())
        {
            return ReplyRoute.Refused(releasing
                ? Denied("not_the_release_party", "must be the release party named in the hold")
                : Denied("not_the_hold_owner", "must be the agency that sent the referral"));
        }

        if (Check(header, referral) is { } mismatch)
        {
            return ReplyRoute.Refused(mismatch);
        }

        // Every held party gets the notice; so does the referral's sender, unless it is the one sending it.
        var recipients = referral.Receipt.Recipients.Select(AgencyId.Parse).ToList();
        var owner = AgencyId.Parse(hold.Owner);
        if (owner != caller && !recipients.Contains(owner))
        {
            recipients.Add(owner);
        }

        recipients.Remove(caller);
        return new ReplyRoute(null, recipients, new MessageLink(kind, referralId), AnsweredMessage.Referral(hold)) { Target = referral };
    }

    /// <summary>A case update goes to the parties of its sender's case under the reference that the route agreements allow.</summary>
    private async Task<ReplyRoute> RouteCaseUpdateAsync(Header header, AgencyId caller, CancellationToken cancellationToken)
    {
        var memberships = await store.GetCasePartiesAsync(header.CaseReference, cancellationToken);
        var (owner, refusal) = CaseRules.ForUpdate(memberships, caller);
        if (refusal is not null)
        {
            return ReplyRoute.Refused(refusal);
        }

        var directory = directories.GetDirectory();
        var handling = header.Handling?.Code ?? HandlingCode.Unspecified;
        var (recipients, notAgreed) = DeliveryRoutes.CaseUpdate(directory, caller, CaseRules.PartiesOf(memberships, owner!.Value.ToString()), handling);
        return notAgreed is not null
            ? ReplyRoute.Refused(notAgreed)
            : new ReplyRoute(null, recipients, null, null)
            {
                CaseOwner = owner,
                Routes = [.. recipients.Select(r => new AuditRoute(
                    r.ToString(), RouteReasons.CaseParty, null, directory.AgreementFor(caller, r, MessageKind.CaseUpdate, handling)))],
            };
    }

    /// <summary>
    /// A reply within the handling code its link allows towards each recipient, in the case of the message it answers,
    /// whose parties its sender joins (a release party, say, that was named but not yet sent anything).
    /// </summary>
    private async Task<ReplyRoute> WithinLinkAsync(ReplyRoute route, Header header, AgencyId caller, CancellationToken cancellationToken)
    {
        var target = route.Target ?? await store.FindMessageAsync(route.Link!.TargetMessageId, cancellationToken)
            ?? throw new InvalidOperationException("A reply was routed to a message the store does not have.");

        // A withdrawal's recipients are decided later from its request's deliveries: every agency the request may have reached.
        var reached = route.Recipients.Count > 0 || route.Answered is null
            ? route.Recipients
            : [.. route.Answered.Deliveries.Select(d => AgencyId.Parse(d.Recipient)).Distinct()];
        if (DeliveryRoutes.CheckReply(directories.GetDirectory(), target, caller, reached, header.Handling?.Code ?? HandlingCode.Unspecified) is { } refusal)
        {
            return ReplyRoute.Refused(refusal);
        }

        if (!AgencyId.TryParse(target.CaseOwner, out var owner))
        {
            return route;
        }

        var memberships = await store.GetCasePartiesAsync(target.CaseReference, cancellationToken);
        return route with { Target = target, CaseOwner = owner, JoiningParties = CaseRules.Joining(memberships, owner, [caller, .. route.Recipients]) };
    }

    /// <summary>
    /// A clarification answer goes to the recipient that asked, from the sender of the message asked about only, while
    /// that recipient's question is open. That recipient's reply is due again from now, by the message's priority.
    /// </summary>
    private async Task<ReplyRoute> RouteClarificationAsync(Header header, ClarificationAnswer answer, AgencyId caller, CancellationToken cancellationToken)
    {
        var asked = await store.FindMessageAsync(answer.MessageId, cancellationToken);
        if (asked is null || asked.Kind == MessageKind.Notice)
        {
            return ReplyRoute.Refused(new IntakeRefusal(
                RefusalCode.NotFound,
                "unknown_message",
                "No message the gateway accepted has this id.",
                [new FieldError("answer.message_id", "must be the message id of a message the calling agency sent")]));
        }

        // Who may answer comes before the case check: a stranger's refusal must not confirm a guessed case reference.
        if (asked.Sender != caller.ToString())
        {
            return ReplyRoute.Refused(Denied("not_the_sender", "must be the agency that sent the message asked about"));
        }

        if (Check(header, asked) is { } mismatch)
        {
            return ReplyRoute.Refused(mismatch);
        }

        var deliveries = await store.GetDeliveriesAsync(answer.MessageId, cancellationToken);
        if (deliveries.FirstOrDefault(d => d.Recipient == answer.Recipient) is not { State: DeliveryState.ClarificationRequested } question)
        {
            return ReplyRoute.Refused(IntakeLifecycle.NoOpenQuestion);
        }

        var kind = KindRequests.For(asked.Kind);
        var priority = kind.HeaderOf(kind.Parser.ParseFrom(asked.Payload)).Priority;
        return new ReplyRoute(
            null,
            [AgencyId.Parse(question.Recipient)],
            new MessageLink(LinkKind.Clarify, asked.MessageId),
            AnsweredMessage.Question(question, deadlines.DueFromNow(priority)));
    }

    private static IntakeRefusal? Check(Header header, StoredMessage answered) =>
        header.CaseReference == answered.CaseReference
            ? null
            : IntakeRefusal.Invalid(
                "case_reference_mismatch",
                [new FieldError("header.case_reference", "must be the case reference of the message it answers")]);

    private static IntakeRefusal UnknownRequest(string path) =>
        new(
            RefusalCode.NotFound,
            "unknown_request",
            "No location request has this id.",
            [new FieldError(path, "must be the message id of a location request accepted by the gateway")]);

    private static readonly AnsweredKind LocationRequests = new(
        request => request.Kind == MessageKind.LocationRequest, UnknownRequest("report.request_message_id"));

    private static readonly AnsweredKind Referrals = new(
        request => request.Kind == MessageKind.Referral,
        new IntakeRefusal(
            RefusalCode.NotFound,
            "unknown_referral",
            "No referral has this id.",
            [new FieldError("answer.referral_message_id", "must be the message id of a referral accepted by the gateway")]));

    private static readonly AnsweredKind TranslationRequests = new(
        request => request.Kind == MessageKind.CaseUpdate && PublishUpdatesRequest.Parser.ParseFrom(request.Payload).Update?.Translation is not null,
        new IntakeRefusal(
            RefusalCode.NotFound,
            "unknown_translation_request",
            "No case update with a translation request has this id.",
            [new FieldError(
                "update.translation_result.request_message_id",
                "must be the message id of a case update with a translation request accepted by the gateway")]));

    private static IntakeRefusal Denied(string reason, string expected) =>
        new(
            RefusalCode.PermissionDenied,
            reason,
            "The calling agency may not send this reply.",
            [new FieldError("header.sender", expected)]);
}

/// <summary>A kind of request an answer names: how to tell it from another message, and the refusal when it is not one.</summary>
internal sealed record AnsweredKind(Func<StoredMessage, bool> Matches, IntakeRefusal Unknown);
