using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Limits;
using Gateway.Core.Routing;
using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Intake;

/// <summary>
/// The business rules a message must meet after schema validation: who may send it, where it can go,
/// and the legal thresholds of DESIGN.md section 2. Descriptions say what is expected, never the value. Without
/// <paramref name="agencyLimits"/> only the global limits apply.
/// </summary>
public sealed class IntakeRules(
    IAgencyDirectoryProvider directories, IOptions<IntakeLimits> limits, TimeProvider time, AgencyLimitTable? agencyLimits = null)
{
    /// <summary>Prosecution: the offence must carry at least two years (Interpol's threshold).</summary>
    public const uint MinProsecutionPenaltyMonths = 24;

    /// <summary>Sentence: at least six months must remain to be served.</summary>
    public const uint MinRemainingSentenceMonths = 6;

    private readonly IntakeLimits _limits = limits.Value;

    public RuleOutcome Check(MessageKind kind, Header header, IMessage body, AgencyId caller)
    {
        if (header.Sender != caller.ToString())
        {
            return RuleOutcome.Refused(new IntakeRefusal(
                RefusalCode.PermissionDenied,
                "sender_not_caller",
                "The header's sender must be the agency making the call.",
                [new FieldError("header.sender", "must be the calling agency")]));
        }

        if (agencyLimits is not null && CheckAgencyLimits(agencyLimits.For(caller), kind, header, body) is { } limitRefusal)
        {
            return RuleOutcome.Refused(limitRefusal);
        }

        // One snapshot for the whole decision: an edit of the directory meanwhile applies from the next message on.
        var directory = directories.GetDirectory();
        var violations = new List<FieldError>();
        CheckHeader(header, violations);
        var heldForReview = false;
        var coordinationHold = false;
        switch (body)
        {
            case SubmitReferralRequest referral:
                CheckReferral(directory, referral.Referral, violations, out heldForReview);
                coordinationHold = referral.Referral.Coordination is not null;
                break;
            case RequestLocationRequest request:
                CheckLocationRequest(header, request.Request, violations, out heldForReview);
                break;
            case ReportLocationRequest report:
                CheckLocation(report.Report.Location, "report.location", violations);
                break;
        }

        if (kind.IsRoutedByGateway() && header.Recipients.Count > 0)
        {
            violations.Add(new FieldError(
                "header.recipients",
                "must be empty: the gateway routes replies and case updates to the parties of the message or case"));
        }
        else if (!kind.IsRoutedByGateway() && header.Recipients.Count == 0)
        {
            violations.Add(new FieldError("header.recipients", "must list at least one recipient"));
        }

        if (violations.Count > 0)
        {
            return RuleOutcome.Refused(IntakeRefusal.Invalid("business_rule", violations));
        }

        if (kind.IsRoutedByGateway())
        {
            // ReplyRouter finds where a reply or case update goes, from the message it answers or the case.
            return RelayPath.Check(header.RelayedBy, caller, [], _limits.MaxHops) is { } replyRelayRefusal
                ? RuleOutcome.Refused(replyRelayRefusal)
                : new RuleOutcome(null, [], heldForReview, coordinationHold);
        }

        var recipients = new List<AgencyId>(header.Recipients.Count);
        var routes = new List<AuditRoute>(header.Recipients.Count + 1);
        var handling = header.Handling?.Code ?? HandlingCode.Unspecified;
        var unknown = new List<FieldError>();
        var unagreed = new List<FieldError>();
        for (var i = 0; i < header.Recipients.Count; i++)
        {
            var agency = directory.Resolve(header.Recipients[i], kind, out var reason);
            if (agency is null)
            {
                unknown.Add(new FieldError(
                    $"header.recipients[{i}]",
                    "must be an agency in the directory, or a country that an agency in the directory can reach for this message kind"));
            }
            else if (agency.Id == caller)
            {
                violations.Add(new FieldError($"header.recipients[{i}]", "must not resolve to the sender itself"));
            }
            else if (directory.CheckRoute(caller, agency, kind, handling) is var verdict
                && RouteRefusals.Violation(verdict, i) is { } refused)
            {
                (verdict == RouteVerdict.NotAgreed ? unagreed : violations).Add(refused);
            }
            else if (!recipients.Contains(agency.Id))
            {
                recipients.Add(agency.Id);
                routes.Add(new AuditRoute(
                    agency.Id.ToString(),
                    reason,
                    reason == RouteReasons.NamedAgency ? null : header.Recipients[i],
                    directory.AgreementFor(caller, agency.Id, kind, handling)));
            }
        }

        if (unknown.Count > 0)
        {
            return RuleOutcome.Refused(new IntakeRefusal(
                RefusalCode.NotFound,
                "unknown_recipient",
                "A recipient is not known to the gateway's directory; check the agency id or country code.",
                unknown));
        }

        if (violations.Count > 0)
        {
            return RuleOutcome.Refused(IntakeRefusal.Invalid("business_rule", violations));
        }

        if (RelayPath.Check(header.RelayedBy, caller, recipients, _limits.MaxHops) is { } relayRefusal)
        {
            return RuleOutcome.Refused(relayRefusal);
        }

        var (copy, contactUnreachable) = SinglePointOfContact.For(directory, caller, kind, recipients, handling);
        if (contactUnreachable is not null)
        {
            unagreed.Add(contactUnreachable);
        }
        else if (copy is { } contact)
        {
            recipients.Add(contact);
            routes.Add(new AuditRoute(
                contact.ToString(), RouteReasons.SinglePointOfContact, null, directory.AgreementFor(caller, contact, kind, handling)));
        }

        if (unagreed.Count > 0)
        {
            return RuleOutcome.Refused(RouteRefusals.NotAgreed(unagreed));
        }

        return new RuleOutcome(null, recipients, heldForReview, coordinationHold) { Copy = copy, Routes = routes };
    }

    /// <summary>
    /// The calling agency's own limits, where tighter than the global ones: a recipient count over the global maximum
    /// stays a business rule violation among the others, as before agencies had limits of their own.
    /// </summary>
    private IntakeRefusal? CheckAgencyLimits(AgencyLimit limit, MessageKind kind, Header header, IMessage body) =>
        AgencyLimitRules.CheckSize(limit, kind, body.CalculateSize())
        ?? (header.Recipients.Count <= _limits.MaxRecipients ? AgencyLimitRules.CheckRecipients(limit, header.Recipients.Count) : null);

    private void CheckHeader(Header header, List<FieldError> violations)
    {
        if (header.Recipients.Count > _limits.MaxRecipients)
        {
            violations.Add(new FieldError("header.recipients", $"must list at most {_limits.MaxRecipients} recipients"));
        }

        if (header.ReplyBy is not null && header.ReplyBy.ToDateTimeOffset() < time.GetUtcNow())
        {
            violations.Add(new FieldError("header.reply_by", "must not be in the past"));
        }
    }

    private void CheckReferral(AgencyDirectory directory, CaseReferral referral, List<FieldError> violations, out bool heldForReview)
    {
        if (referral.Subjects.Count > _limits.MaxSubjects)
        {
            violations.Add(new FieldError("referral.subjects", $"must list at most {_limits.MaxSubjects} persons"));
        }

        for (var i = 0; i < referral.Subjects.Count; i++)
        {
            CheckPerson(referral.Subjects[i], $"referral.subjects[{i}]", violations);
        }

        if (referral.Coordination is { } hold
            && (!AgencyId.TryParse(hold.ReleaseParty, out var party) || !directory.TryGet(party, out _)))
        {
            violations.Add(new FieldError("referral.coordination.release_party", "must be an agency in the directory"));
        }

        heldForReview = NeedsReview(referral.Offence.Character);
    }

    private static void CheckLocationRequest(
        Header header, FugitiveLocationRequest request, List<FieldError> violations, out bool heldForReview)
    {
        CheckPerson(request.Subject, "request.subject", violations);
        switch (request.Warrant.Basis)
        {
            case WarrantBasis.Prosecution when request.Charges.Max(c => c.MaximumPenaltyMonths) < MinProsecutionPenaltyMonths:
                violations.Add(new FieldError(
                    "request.charges",
                    $"for prosecution, at least one charge must carry a maximum penalty of {MinProsecutionPenaltyMonths} months or more"));
                break;
            case WarrantBasis.Sentence when request.Warrant.RemainingSentenceMonths < MinRemainingSentenceMonths:
                violations.Add(new FieldError(
                    "request.warrant.remaining_sentence_months",
                    $"for a sentence, at least {MinRemainingSentenceMonths} months must remain to be served"));
                break;
        }

        for (var i = 0; i < request.TargetCountries.Count; i++)
        {
            var country = request.TargetCountries[i];
            if (!CountryCodes.IsAssigned(country))
            {
                violations.Add(new FieldError($"request.target_countries[{i}]", "must be an assigned ISO 3166-1 alpha-2 code"));
            }
            else if (!header.Recipients.Any(r => r == country || r.StartsWith(country + "/", StringComparison.Ordinal)))
            {
                violations.Add(new FieldError(
                    $"request.target_countries[{i}]",
                    "must be covered by a recipient: the country itself or one of its agencies"));
            }
        }

        heldForReview = request.Charges.Any(c => NeedsReview(c.Offence.Character));
    }

    private static void CheckPerson(Person person, string path, List<FieldError> violations)
    {
        for (var i = 0; i < person.Nationalities.Count; i++)
        {
            if (!CountryCodes.IsAssigned(person.Nationalities[i]))
            {
                violations.Add(new FieldError($"{path}.nationalities[{i}]", "must be an assigned ISO 3166-1 alpha-2 code"));
            }
        }

        for (var i = 0; i < person.Documents.Count; i++)
        {
            if (!CountryCodes.IsAssigned(person.Documents[i].IssuingCountry))
            {
                violations.Add(new FieldError($"{path}.documents[{i}].issuing_country", "must be an assigned ISO 3166-1 alpha-2 code"));
            }
        }

        CheckLocation(person.LastKnownLocation, $"{path}.last_known_location", violations);
    }

    private static void CheckLocation(Location? location, string path, List<FieldError> violations)
    {
        if (location is not null && !CountryCodes.IsAssigned(location.Country))
        {
            violations.Add(new FieldError($"{path}.country", "must be an assigned ISO 3166-1 alpha-2 code"));
        }
    }

    private static bool NeedsReview(OffenceCharacter character) => character != OffenceCharacter.Ordinary;
}
