using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Routing;

/// <summary>
/// Issue 19's property: over generated directories (agencies of every kind, competent for some kinds, accepting some,
/// liaison offices posted in some country) and agreement tables (From, To, Kinds, MaxHandling), intake allows exactly
/// what the table allows. The oracle here is written from the documented semantics (DESIGN.md section 5, the route
/// agreements and country resolution of docs/configuration.md), not from the production code: it shares no matcher or
/// resolver with it, and reads the agreements as the configuration text they were parsed from.
/// </summary>
public sealed class RouteTablePropertyTests
{
    private const int Cases = 500;

    private static readonly string[] Countries = ["CN", "RU", "TH", "US", "AR"];
    private static readonly string[] Ids = ["CN/AA", "CN/BB", "RU/AA", "RU/BB", "TH/AA", "US/AA", "INT/NCB"];
    private static readonly MessageKind[] AddressedKinds = [MessageKind.Referral, MessageKind.LocationRequest];
    private static readonly MessageKind[] AgreedKinds = [MessageKind.Referral, MessageKind.LocationRequest, MessageKind.CaseUpdate];
    private static readonly HandlingCode[] Codes = [HandlingCode.H0, HandlingCode.H1, HandlingCode.H2, HandlingCode.H3];

    /// <summary>A sender addresses one recipient (an agency id, possibly unknown, or a country): intake's answer is the oracle's.</summary>
    [Property(MaxTest = Cases)]
    public Property Intake_allows_exactly_what_the_agreement_table_allows() =>
        Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var directory = scenario.Directory();
            var rules = new IntakeRules(new AgencyDirectoryProvider(directory), Options.Create(new IntakeLimits()), TimeProvider.System);
            var expected = Oracle(scenario);
            var (header, body) = Message(scenario);

            var outcome = rules.Check(scenario.Kind, header, body, AgencyId.Parse(scenario.Sender));
            var actual = outcome.Refusal is null
                ? Verdict.Allowed(string.Join(",", outcome.Recipients))
                : Verdict.Refused(outcome.Refusal.Reason);

            Assert.True(expected == actual, $"{scenario}: the table says {expected}, intake said {actual}");
            return true;
        });

    /// <summary>The table on its own, for every kind an agreement names, against agencies of the directory.</summary>
    [Property(MaxTest = Cases)]
    public Property The_route_check_allows_exactly_what_the_agreement_table_allows() =>
        Prop.ForAll(Arb.From(Scenarios(AgreedKinds)), scenario =>
        {
            var directory = scenario.Directory();
            var recipient = scenario.Agencies.FirstOrDefault(a => a.Id == scenario.Recipient);
            if (recipient is null)
            {
                return true;
            }

            directory.TryGet(AgencyId.Parse(recipient.Id), out var resolved);
            var allowed = directory.CheckRoute(AgencyId.Parse(scenario.Sender), resolved, scenario.Kind, scenario.Handling) == RouteVerdict.Allowed;

            Assert.True(
                OracleRoute(scenario, recipient) == allowed,
                $"{scenario}: the table {(allowed ? "denies" : "allows")} it, the route check {(allowed ? "allowed" : "denied")} it");
            return true;
        });

    /// <summary>What the documented semantics say of a scenario's message.</summary>
    private static Verdict Oracle(Scenario s)
    {
        var recipient = ResolveByDocumentation(s);
        if (recipient is null)
        {
            return Verdict.Refused("unknown_recipient");
        }

        if (recipient.Id == s.Sender || !Accepts(recipient, s.Kind))
        {
            return Verdict.Refused("business_rule");
        }

        return OracleRoute(s, recipient) ? Verdict.Allowed(recipient.Id) : Verdict.Refused(RouteRefusals.NotAgreedReason);
    }

    /// <summary>
    /// An agency id names that agency; a country resolves, among the agencies that accept the kind and in id order, to
    /// the one of that country competent for the kind, else the liaison office posted there, else an Interpol NCB
    /// competent for the kind.
    /// </summary>
    private static GeneratedAgency? ResolveByDocumentation(Scenario s)
    {
        if (s.Recipient.Contains('/'))
        {
            return s.Agencies.FirstOrDefault(a => a.Id == s.Recipient);
        }

        var candidates = s.Agencies.Where(a => Accepts(a, s.Kind)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        return candidates.FirstOrDefault(a => CountryOf(a.Id) == s.Recipient && a.CompetentFor.Contains(s.Kind))
            ?? candidates.FirstOrDefault(a => a.Kind == AgencyKind.LiaisonOffice && a.PostedIn == s.Recipient)
            ?? candidates.FirstOrDefault(a => a.Kind == AgencyKind.InterpolNcb && a.CompetentFor.Contains(s.Kind));
    }

    /// <summary>
    /// Deny by default: allowed when the recipient accepts the kind and, for the kinds agreements govern (referrals,
    /// location requests, case updates), some agreement names the sender (id, kind or *), the recipient (id, its
    /// country, kind or *), the kind, and a handling code at least as restrictive as the message's.
    /// </summary>
    private static bool OracleRoute(Scenario s, GeneratedAgency recipient)
    {
        if (!Accepts(recipient, s.Kind))
        {
            return false;
        }

        if (s.Kind is not (MessageKind.Referral or MessageKind.LocationRequest or MessageKind.CaseUpdate))
        {
            return true;
        }

        var sender = s.Agencies.Single(a => a.Id == s.Sender);
        return s.Agreements.Any(a =>
            Names(a.From, sender) && Names(a.To, recipient) && a.Kinds.Contains(s.Kind) && Rank(s.Handling) <= Rank(a.MaxHandling));
    }

    private static bool Names(string pattern, GeneratedAgency agency) =>
        pattern == "*" || pattern == agency.Id || pattern == CountryOf(agency.Id) || pattern == agency.Kind.ToString();

    private static int Rank(HandlingCode code) => Array.IndexOf(Codes, code);

    private static bool Accepts(GeneratedAgency agency, MessageKind kind) => agency.Accepts is null || agency.Accepts.Contains(kind);

    private static string CountryOf(string id) => id[..id.IndexOf('/')];

    private static (Header Header, Google.Protobuf.IMessage Body) Message(Scenario s)
    {
        if (s.Kind == MessageKind.Referral)
        {
            var referral = Samples.Referral(s.Sender, s.Recipient);
            referral.Referral.Coordination = null;
            referral.Header.Handling = new Handling { Code = s.Handling, Restriction = s.Handling == HandlingCode.H3 ? "no use in court" : string.Empty };
            return (referral.Header, referral);
        }

        // The request's target country is the recipient's, as intake requires; an international body's has none.
        var country = s.Recipient.Contains('/') ? CountryOf(s.Recipient) : s.Recipient;
        var request = new RequestLocationRequest
        {
            Header = Samples.Header(s.Sender, s.Recipient),
            Request = Samples.FugitiveLocation(country == "INT" ? [] : [country]),
        };
        request.Header.Handling = new Handling { Code = s.Handling, Restriction = s.Handling == HandlingCode.H3 ? "no use in court" : string.Empty };
        return (request.Header, request);
    }

    private static Gen<Scenario> Scenarios(MessageKind[]? kinds = null) =>
        from agencies in Agency().ArrayOf(Ids.Length)
        from present in Gen.Elements(true, true, true, false).ArrayOf(Ids.Length)
        from agreements in Agreement().ListOf().Select(r => r.Take(6).ToArray())
        from sender in Gen.Choose(0, Ids.Length - 1)
        from recipient in Gen.OneOf(Gen.Elements(Ids), Gen.Elements(Countries))
        from kind in Gen.Elements(kinds ?? AddressedKinds)
        from handling in Gen.Elements(Codes)
        let directory = agencies.Select((a, i) => a with { Id = Ids[i] }).Where((a, i) => present[i] || i == sender).ToArray()
        select new Scenario(directory, agreements, Ids[sender], recipient, kind, handling);

    private static Gen<GeneratedAgency> Agency() =>
        from kind in Gen.Elements(Enum.GetValues<AgencyKind>())
        from competent in Gen.SubListOf(AgreedKinds)
        from accepts in Gen.OneOf(Gen.Constant<MessageKind[]?>(null), Gen.SubListOf(AgreedKinds).Select(k => (MessageKind[]?)[.. k]))
        from postedIn in Gen.Elements(Countries)
        select new GeneratedAgency(string.Empty, kind, [.. competent], accepts, kind == AgencyKind.LiaisonOffice ? postedIn : null);

    private static Gen<GeneratedAgreement> Agreement() =>
        from senders in Gen.OneOf(Gen.Elements(Ids), Gen.Elements(Enum.GetNames<AgencyKind>()), Gen.Constant("*"))
        from recipients in Gen.OneOf(Gen.Elements(Ids), Gen.Elements(Countries), Gen.Elements(Enum.GetNames<AgencyKind>()), Gen.Constant("*"))
        from kinds in Gen.SubListOf(AgreedKinds).Where(k => k.Count > 0)
        from max in Gen.Elements(Codes)
        select new GeneratedAgreement(senders, recipients, [.. kinds], max);

    private sealed record GeneratedAgency(string Id, AgencyKind Kind, MessageKind[] CompetentFor, MessageKind[]? Accepts, string? PostedIn)
    {
        public Agency ToAgency() =>
            new(AgencyId.Parse(Id), Id, Kind, CompetentFor.ToHashSet(), PostedIn) { Accepts = Accepts?.ToHashSet() };

        public override string ToString() =>
            $"{Id} {Kind}{(PostedIn is null ? "" : " in " + PostedIn)} competent [{string.Join(" ", CompetentFor)}] accepts [{(Accepts is null ? "all" : string.Join(" ", Accepts))}]";
    }

    private sealed record GeneratedAgreement(string From, string To, MessageKind[] Kinds, HandlingCode MaxHandling)
    {
        /// <summary>As the configuration's reader makes it: the patterns parsed from their text.</summary>
        public RouteAgreement ToAgreement()
        {
            Assert.True(PartyPattern.TryParseSender(From, out var from), From);
            Assert.True(PartyPattern.TryParseRecipient(To, out var to), To);
            return new RouteAgreement(from, to, Kinds, MaxHandling);
        }

        public override string ToString() => $"{From} -> {To} [{string.Join(" ", Kinds)}] up to {MaxHandling}";
    }

    private sealed record Scenario(
        GeneratedAgency[] Agencies, GeneratedAgreement[] Agreements, string Sender, string Recipient, MessageKind Kind, HandlingCode Handling)
    {
        public AgencyDirectory Directory() =>
            new(Agencies.Select(a => a.ToAgency()), new RouteTable(Agreements.Select(a => a.ToAgreement())));

        public override string ToString() =>
            $"{Kind} from {Sender} to {Recipient} at {Handling}; agencies: {string.Join("; ", Agencies.Select(a => a.ToString()))}; agreements: {string.Join("; ", Agreements.Select(a => a.ToString()))}";
    }

    private sealed record Verdict(bool IsAllowed, string Detail)
    {
        public static Verdict Allowed(string recipients) => new(true, recipients);

        public static Verdict Refused(string reason) => new(false, reason);

        public override string ToString() => IsAllowed ? $"allowed to {Detail}" : $"refused ({Detail})";
    }
}
