using Gateway.Core.Agencies;
using Gateway.Core.Lifecycle;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Intake;

/// <summary>
/// Routes replies back along the message they answer: a location report to the requester, a withdrawal to every
/// agency the request reached, a hold's release or cancellation to every party of the referral; never above the
/// handling code the answered message's route allows (<see cref="DeliveryRoutes.CheckReply"/>). Routes a case update to
/// the other parties of its case that a route agreement lets the sender reach. Only the party entitled to each may send
/// it. Finds the case every message belongs to (<see cref="CaseRules"/>) and who it makes a party of it. What a reply
/// does to the message it answers is the lifecycle's decision (<see cref="IntakeLifecycle"/>), on what the router read.
/// </summary>
public sealed class ReplyRouter(IIntakeStore store, IAgencyDirectoryProvider directories)
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
        WithdrawRequestRequest w => RouteWithdrawalAsync(header, w.Withdrawal.RequestMessageId, caller, cancellationToken),
        ReleaseHoldRequest r => RouteHoldAsync(header, r.Release.ReferralMessageId, "release", LinkKind.ReleaseHold, caller, cancellationToken),
        CancelHoldRequest c => RouteHoldAsync(header, c.Cancellation.ReferralMessageId, "cancellation", LinkKind.CancelHold, caller, cancellationToken),
        PublishUpdatesRequest { Update.HoldRelease: { } release } =>
            RouteHoldAsync(header, release.ReferralMessageId, "update.hold_release", LinkKind.ReleaseHold, caller, cancellationToken),
        PublishUpdatesRequest => RouteCaseUpdateAsync(header, caller, cancellationToken),
        _ => throw new ArgumentException($"{body.Descriptor.Name} is not a reply.", nameof(body)),
    };

    private async Task<ReplyRoute> RouteReportAsync(Header header, string requestId, AgencyId caller, CancellationToken cancellationToken)
    {
        var (request, refusal) = await FindRequestAsync(header, requestId, "report.request_message_id", cancellationToken);
        if (refusal is not null)
        {
            return ReplyRoute.Refused(refusal);
        }

        if (!request!.Receipt.Recipients.Contains(caller.ToString()))
        {
            return ReplyRoute.Refused(Denied("not_a_recipient", "must be an agency the request was sent to"));
        }

        return new ReplyRoute(null, [AgencyId.Parse(request.Sender)], new MessageLink(LinkKind.Reply, requestId), AnsweredMessage.Request(request, []))
        {
            Target = request,
        };
    }

    private async Task<ReplyRoute> RouteWithdrawalAsync(Header header, string requestId, AgencyId caller, CancellationToken cancellationToken)
    {
        var (request, refusal) = await FindRequestAsync(header, requestId, "withdrawal.request_message_id", cancellationToken);
        if (refusal is not null)
        {
            return ReplyRoute.Refused(refusal);
        }

        if (request!.Sender != caller.ToString())
        {
            return ReplyRoute.Refused(Denied("not_the_requester", "must be the agency that sent the request"));
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

        if (Check(header, referral) is { } mismatch)
        {
            return ReplyRoute.Refused(mismatch);
        }

        var releasing = kind == LinkKind.ReleaseHold;
        if (releasing ? hold.ReleaseParty != caller.ToString() : hold.Owner != caller.ToString())
        {
            return ReplyRoute.Refused(releasing
                ? Denied("not_the_release_party", "must be the release party named in the hold")
                : Denied("not_the_hold_owner", "must be the agency that sent the referral"));
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

        var (recipients, notAgreed) = DeliveryRoutes.CaseUpdate(
            directories.GetDirectory(), caller, CaseRules.PartiesOf(memberships, owner!.Value.ToString()), header.Handling?.Code ?? HandlingCode.Unspecified);
        return notAgreed is not null ? ReplyRoute.Refused(notAgreed) : new ReplyRoute(null, recipients, null, null) { CaseOwner = owner };
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

    private static IntakeRefusal? Check(Header header, StoredMessage answered) =>
        header.CaseReference == answered.CaseReference
            ? null
            : IntakeRefusal.Invalid(
                "case_reference_mismatch",
                [new FieldError("header.case_reference", "must be the case reference of the message it answers")]);

    /// <summary>The location request a reply answers, or why the reply cannot answer it (unknown, another case).</summary>
    private async Task<(StoredMessage? Request, IntakeRefusal? Refusal)> FindRequestAsync(
        Header header, string requestId, string path, CancellationToken cancellationToken)
    {
        var request = await store.FindMessageAsync(requestId, cancellationToken);
        return request is not { Kind: MessageKind.LocationRequest } ? (null, UnknownRequest(path))
            : Check(header, request) is { } mismatch ? (null, mismatch)
            : (request, null);
    }

    private static IntakeRefusal UnknownRequest(string path) =>
        new(
            RefusalCode.NotFound,
            "unknown_request",
            "No location request has this id.",
            [new FieldError(path, "must be the message id of a location request accepted by the gateway")]);

    private static IntakeRefusal Denied(string reason, string expected) =>
        new(
            RefusalCode.PermissionDenied,
            reason,
            "The calling agency may not send this reply.",
            [new FieldError("header.sender", expected)]);
}
