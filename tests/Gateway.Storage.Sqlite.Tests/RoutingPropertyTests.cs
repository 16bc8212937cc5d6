using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gateway.Core.Agencies;
using Gateway.Core.Deadlines;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// Issue 17's property: over generated directories, agreement tables and message sequences run through the real
/// intake and the real SQLite store, no agency is ever given a delivery that the agreement table (with handling codes)
/// does not allow, a reply goes only to the parties of the message it answers and within what its route allows, and no
/// agency receives a message of a case it is not a party of. The parties are tracked by a model of the rule written
/// here, independent of the gateway's: a case is (reference, the agency that opened it); sending or being routed an
/// accepted message of it makes a party; naming a reference makes none.
/// </summary>
public sealed class RoutingPropertyTests
{
    private const int Cases = 100;
    private const int MessagesPerCase = 15;

    private static readonly string[] Ids = ["CN/MPS", "CN/FJPSD", "CN/NCB", "RU/MVD", "RU/FSB", "AR/PFA", "US/FBI"];
    private static readonly string[] Countries = ["CN", "RU", "AR", "US"];
    private static readonly string[] References = ["REF-1", "REF-2"];
    private static readonly MessageKind[] RoutedKinds = [MessageKind.Referral, MessageKind.LocationRequest, MessageKind.CaseUpdate];

    [Property(MaxTest = Cases)]
    public Property No_delivery_outside_the_agreements_and_the_case() =>
        Prop.ForAll(Arb.From(Scenarios()), scenario => RunAsync(scenario).GetAwaiter().GetResult());

    private static async Task<bool> RunAsync(Scenario scenario)
    {
        var directory = new AgencyDirectory(
            Ids.Select((id, i) => new Agency(AgencyId.Parse(id), id, scenario.Kinds[i], new HashSet<MessageKind>(), PostedIn: "RU")),
            new RouteTable(scenario.Routes));
        await using var temp = new TempStore(configure: o => o.Synchronous = "NORMAL");
        var deadlines = new ReplyDeadlines(Options.Create(new ReplyDeadlineOptions()), TimeProvider.System);
        var intake = new MessageIntake(
            new IntakeRules(new AgencyDirectoryProvider(directory), Options.Create(new IntakeLimits()), TimeProvider.System),
            new ReplyRouter(temp.Store, deadlines, new AgencyDirectoryProvider(directory)),
            temp.Store,
            deadlines);
        var model = new CaseModel();
        var requests = new List<Sent>();
        foreach (var op in scenario.Ops)
        {
            var sender = Ids[op.Sender];
            var handling = (HandlingCode)op.Handling;
            if (op.Kind == MessageKind.LocationReport)
            {
                if (requests.Count == 0)
                {
                    continue;
                }

                var request = requests[op.Target % requests.Count];
                var replier = op.Sender < request.Recipients.Count ? request.Recipients[op.Sender] : sender;
                var report = Report(request, replier, handling);
                var answered = await intake.SubmitAsync(MessageKind.LocationReport, report.Header, report, AgencyId.Parse(replier), default);
                if (answered.Receipt is { } receipt)
                {
                    var delivered = await RecipientsAsync(temp, report.Header.MessageId);
                    Assert.Equal([request.Sender], delivered);
                    Assert.Contains(replier, request.Recipients);
                    Assert.True(HandlingCodes.IsWithin(handling, ReplyLimit(directory, request, replier)), "a reply above its link's limit was accepted");
                    Assert.Equal(receipt.Recipients, delivered);
                    model.Join(request.Case, [replier, .. delivered]);
                }

                continue;
            }

            var recipients = op.Recipients.Select(i => Ids[i]).Where(r => r != sender).Distinct().ToList();
            var (header, body) = Build(op.Kind, sender, recipients, References[op.Reference], handling);
            var result = await intake.SubmitAsync(op.Kind, header, body, AgencyId.Parse(sender), default);
            var cases = model.CasesOf(header.CaseReference, sender);
            if (result.Receipt is null)
            {
                continue;
            }

            var deliveries = await RecipientsAsync(temp, header.MessageId);
            Assert.Equal(result.Receipt.Recipients.Order(), deliveries);
            Assert.True(cases.Count <= 1, "a message was accepted from an agency in two cases under its reference");
            var caseKey = cases.Count == 1 ? cases[0] : (header.CaseReference, sender);
            foreach (var recipient in deliveries)
            {
                Assert.True(
                    scenario.Routes.Any(a => a.Covers(directory.Agencies.Single(x => x.Id.ToString() == sender), directory.Agencies.Single(x => x.Id.ToString() == recipient), op.Kind, handling)),
                    $"{op.Kind} from {sender} to {recipient} at {handling} is not allowed by any agreement");
            }

            if (op.Kind == MessageKind.CaseUpdate)
            {
                Assert.Single(cases);
                Assert.All(deliveries, r => Assert.Contains(r, model.PartiesOf(caseKey)));
                Assert.DoesNotContain(sender, deliveries);
            }
            else
            {
                requests.Add(new Sent(header.MessageId, op.Kind, sender, deliveries, handling, caseKey));
            }

            model.Join(caseKey, [sender, .. deliveries]);
        }

        return true;
    }

    /// <summary>What the answered request's route allows a reply towards its sender, computed from the table here.</summary>
    private static HandlingCode ReplyLimit(AgencyDirectory directory, Sent request, string replier)
    {
        var from = directory.Agencies.Single(a => a.Id.ToString() == request.Sender);
        var to = directory.Agencies.Single(a => a.Id.ToString() == replier);
        var covering = directory.Routes.Agreements.Where(a => a.From.Matches(from) && a.To.Matches(to) && a.Kinds.Contains(request.Kind)).ToList();
        return covering.Count == 0 ? request.Handling : covering.Max(a => a.MaxHandling);
    }

    private static async Task<List<string>> RecipientsAsync(TempStore temp, string messageId) =>
        [.. (await temp.Store.GetDeliveriesAsync(messageId, default)).Select(d => d.Recipient).Order()];

    private static (Header Header, IMessage Body) Build(MessageKind kind, string sender, List<string> recipients, string reference, HandlingCode handling)
    {
        var header = Samples.Header(sender, kind == MessageKind.CaseUpdate ? [] : [.. recipients]);
        header.CaseReference = reference;
        header.Handling = Handling(handling);
        return kind switch
        {
            MessageKind.Referral => (header, new SubmitReferralRequest { Header = header, Referral = Referral() }),
            MessageKind.LocationRequest => (header, new RequestLocationRequest
            {
                Header = header,
                Request = Samples.FugitiveLocation(recipients.Select(r => r[..2]).Distinct()),
            }),
            _ => (header, new PublishUpdatesRequest { Header = header, Update = Samples.StatusUpdate(sender, reference).Update }),
        };
    }

    private static CaseReferral Referral()
    {
        var referral = Samples.KidnappingReferral();
        referral.Coordination = null;
        return referral;
    }

    private static ReportLocationRequest Report(Sent request, string replier, HandlingCode handling)
    {
        var header = Samples.Header(replier);
        header.CaseReference = request.Case.Reference;
        header.Handling = Handling(handling);
        return new ReportLocationRequest
        {
            Header = header,
            Report = new LocationReport
            {
                RequestMessageId = request.MessageId,
                Outcome = LocationOutcome.Sighted,
                ObservedAt = header.CreatedAt,
            },
        };
    }

    private static Handling Handling(HandlingCode code) =>
        new() { Code = code, Restriction = code == HandlingCode.H3 ? "no use in court" : string.Empty };

    private static Gen<Scenario> Scenarios() =>
        from kinds in Gen.Elements(Enum.GetValues<AgencyKind>()).ArrayOf(Ids.Length)
        from routes in Route().ListOf().Select(r => r.Take(10).ToArray())
        from ops in Operation().ArrayOf(MessagesPerCase)
        select new Scenario(kinds, routes, ops);

    private static Gen<RouteAgreement> Route() =>
        from sender in Gen.OneOf(
            Gen.Elements(Ids).Select(id => PartyPattern.ForAgency(AgencyId.Parse(id))),
            Gen.Elements(Enum.GetValues<AgencyKind>()).Select(PartyPattern.ForKind),
            Gen.Constant(PartyPattern.Any))
        from recipient in Gen.OneOf(
            Gen.Elements(Ids).Select(id => PartyPattern.ForAgency(AgencyId.Parse(id))),
            Gen.Elements(Countries).Select(PartyPattern.ForCountry),
            Gen.Elements(Enum.GetValues<AgencyKind>()).Select(PartyPattern.ForKind),
            Gen.Constant(PartyPattern.Any))
        from kinds in Gen.SubListOf(RoutedKinds).Where(k => k.Count > 0)
        from max in Gen.Choose(1, 4)
        select new RouteAgreement(sender, recipient, [.. kinds], (HandlingCode)max);

    private static Gen<Op> Operation() =>
        from kind in Gen.Frequency(
            (3, Gen.Constant(MessageKind.Referral)),
            (3, Gen.Constant(MessageKind.LocationRequest)),
            (4, Gen.Constant(MessageKind.CaseUpdate)),
            (3, Gen.Constant(MessageKind.LocationReport)))
        from sender in Gen.Choose(0, Ids.Length - 1)
        from recipients in Gen.Choose(0, Ids.Length - 1).ArrayOf().Where(r => r.Length is > 0 and <= 3)
        from reference in Gen.Choose(0, References.Length - 1)
        from handling in Gen.Frequency((3, Gen.Choose(1, 3)), (1, Gen.Constant(4)))
        from target in Gen.Choose(0, 100)
        select new Op(kind, sender, recipients, reference, handling, target);

    private sealed record Scenario(AgencyKind[] Kinds, RouteAgreement[] Routes, Op[] Ops)
    {
        public override string ToString() =>
            $"kinds [{string.Join(", ", Kinds)}]; routes [{string.Join("; ", Routes.Select(r => r.ToString()))}]; ops [{string.Join("; ", Ops.Select(o => o.ToString()))}]";
    }

    private sealed record Op(MessageKind Kind, int Sender, int[] Recipients, int Reference, int Handling, int Target)
    {
        public override string ToString() => $"{Kind} from {Ids[Sender]} to [{string.Join(",", Recipients.Select(i => Ids[i]))}] {References[Reference]} H{Handling - 1} #{Target}";
    }

    private sealed record Sent(string MessageId, MessageKind Kind, string Sender, IReadOnlyList<string> Recipients, HandlingCode Handling, (string Reference, string Owner) Case);

    /// <summary>The rule of issue 17 on its own: cases by (reference, owner), parties joining only by accepted messages.</summary>
    private sealed class CaseModel
    {
        private readonly Dictionary<(string Reference, string Owner), HashSet<string>> _parties = [];

        public List<(string Reference, string Owner)> CasesOf(string reference, string agency) =>
            [.. _parties.Where(c => c.Key.Reference == reference && c.Value.Contains(agency)).Select(c => c.Key)];

        public IReadOnlySet<string> PartiesOf((string Reference, string Owner) key) => _parties.GetValueOrDefault(key) ?? [];

        public void Join((string Reference, string Owner) key, IEnumerable<string> agencies)
        {
            if (!_parties.TryGetValue(key, out var parties))
            {
                _parties[key] = parties = [];
            }

            parties.UnionWith(agencies);
        }
    }
}
