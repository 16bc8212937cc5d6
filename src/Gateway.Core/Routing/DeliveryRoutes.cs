using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Messages;
using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Core.Routing;

/// <summary>
/// The one check every delivery the gateway creates passes, whoever chose its recipients: intake for messages a sender
/// addresses, the reply router for case updates and replies, and operators' replays and review releases against the
/// table in effect then. Addressed messages and case updates need an agreement that covers sender, recipient, kind and
/// handling code. A reply goes by its link to the parties of the message it answers, but never above what the route of
/// that message allows today. Notices are the gateway's own word to a message's sender and pass no agreement.
/// </summary>
public static class DeliveryRoutes
{
    public const string HandlingField = "header.handling.code";

    private static readonly IntakeRefusal NoCaseUpdateRoute = RouteRefusals.NotAgreed(
        [new FieldError("header.case_reference", "must be a case with a party that a route agreement lets the calling agency send updates to")]);

    /// <summary>
    /// True for the kinds whose every delivery needs an agreement: those a sender addresses (referrals, location
    /// requests), and case updates. Notices are made by the gateway, never submitted.
    /// </summary>
    public static bool NeedsAgreement(MessageKind kind) => kind is MessageKind.Referral or MessageKind.LocationRequest or MessageKind.CaseUpdate;

    /// <summary>
    /// Whether an agreement lets <paramref name="sender"/> send <paramref name="kind"/> at <paramref name="handling"/> to
    /// <paramref name="recipient"/>: the same check intake makes of each recipient a sender names
    /// (<see cref="AgencyDirectory.CheckRoute"/>).
    /// </summary>
    public static bool Permits(AgencyDirectory directory, AgencyId sender, AgencyId recipient, MessageKind kind, HandlingCode handling) =>
        directory.TryGet(recipient, out var to) && directory.CheckRoute(sender, to, kind, handling) == RouteVerdict.Allowed;

    /// <summary>
    /// The recipients of a case update: the parties of its case other than the sender that an agreement lets the sender
    /// send updates to at the update's handling code. A party whose agreements stop below that code refuses the whole
    /// update (the sender must not believe it reached everyone); a party with no agreement for updates at all is not a
    /// recipient. Refusals name the field, never an agency: parties of a case are not the sender's to learn.
    /// </summary>
    public static (IReadOnlyList<AgencyId> Recipients, IntakeRefusal? Refusal) CaseUpdate(
        AgencyDirectory directory, AgencyId sender, IEnumerable<AgencyId> parties, HandlingCode handling)
    {
        var recipients = new List<AgencyId>();
        if (!directory.TryGet(sender, out var from))
        {
            return ([], NoCaseUpdateRoute);
        }

        foreach (var party in parties)
        {
            if (party == sender || !directory.TryGet(party, out var to) || !to.AcceptsKind(MessageKind.CaseUpdate)
                || directory.Routes.HighestAgreed(from, to, MessageKind.CaseUpdate) is not { } highest)
            {
                continue;
            }

            if (!HandlingCodes.IsWithin(handling, highest))
            {
                return ([], AboveRoute("must be within what the route agreements allow towards every party of the case"));
            }

            recipients.Add(party);
        }

        return recipients.Count == 0 ? ([], NoCaseUpdateRoute) : (recipients, null);
    }

    /// <summary>
    /// The most restrictive handling code a reply from <paramref name="replier"/> to <paramref name="recipient"/> may
    /// carry: what the agreements in effect allow on the route <paramref name="answered"/> took towards the recipient
    /// (or towards the replier, for a reply going back to the answered message's sender), or the answered message's own
    /// code when no agreement covers that route any more: the link keeps what was already shared, and no more.
    /// </summary>
    public static HandlingCode ReplyLimit(AgencyDirectory directory, StoredMessage answered, AgencyId replier, AgencyId recipient)
    {
        var target = recipient.ToString() == answered.Sender ? replier : recipient;
        return AgencyId.TryParse(answered.Sender, out var sender)
            && directory.TryGet(sender, out var from)
            && directory.TryGet(target, out var to)
            && directory.Routes.HighestAgreed(from, to, answered.Kind) is { } highest
                ? highest
                : HandlingOf(answered);
    }

    /// <summary>A reply above the limit of one of its recipients (<see cref="ReplyLimit"/>) is refused; null when it is within every one.</summary>
    public static IntakeRefusal? CheckReply(
        AgencyDirectory directory, StoredMessage answered, AgencyId replier, IEnumerable<AgencyId> recipients, HandlingCode handling) =>
        recipients.All(r => HandlingCodes.IsWithin(handling, ReplyLimit(directory, answered, replier, r)))
            ? null
            : AboveRoute("must not be more restrictive than the route of the message it answers allows");

    /// <summary>
    /// Whether a stored delivery of <paramref name="message"/> to <paramref name="recipient"/> may still go out under the
    /// agreements in effect: the check an operator's replay or release repeats, since the table may have changed since
    /// the message was accepted. Replies and notices keep their link, and so does a case update that is one (a hold's
    /// release, a translation result), which went to the parties of the message it answers.
    /// </summary>
    public static bool StillPermits(AgencyDirectory directory, StoredMessage message, string recipient) =>
        !NeedsAgreement(message.Kind)
        || IsLinkedCaseUpdate(message)
        || (AgencyId.TryParse(message.Sender, out var sender) && AgencyId.TryParse(recipient, out var to)
            && Permits(directory, sender, to, message.Kind, HandlingOf(message)));

    /// <summary>The handling code in a stored message's header, read from its payload as the sender submitted it.</summary>
    public static HandlingCode HandlingOf(StoredMessage message)
    {
        var entry = KindRequests.For(message.Kind);
        return entry.HeaderOf(entry.Parser.ParseFrom(message.Payload))?.Handling?.Code ?? HandlingCode.Unspecified;
    }

    private static bool IsLinkedCaseUpdate(StoredMessage message) =>
        message.Kind == MessageKind.CaseUpdate
        && PublishUpdatesRequest.Parser.ParseFrom(message.Payload).Update?.KindCase
            is Interagency.V1.CaseUpdate.KindOneofCase.HoldRelease or Interagency.V1.CaseUpdate.KindOneofCase.TranslationResult;

    private static IntakeRefusal AboveRoute(string expected) => RouteRefusals.NotAgreed([new FieldError(HandlingField, expected)]);
}
