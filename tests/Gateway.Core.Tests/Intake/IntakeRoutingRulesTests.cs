using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Intake;

/// <summary>The routing part of the intake rules: route agreements, accepted kinds, hops and loops.</summary>
public class IntakeRoutingRulesTests
{
    private readonly IntakeRules _rules = new(SampleDirectory.Provider(), Options.Create(new IntakeLimits()), TimeProvider.System);

    private RuleOutcome Check(SubmitReferralRequest r) =>
        _rules.Check(MessageKind.Referral, r.Header, r, AgencyId.Parse(r.Header.Sender));

    private static SubmitReferralRequest Referral(string sender, string recipient, HandlingCode handling = HandlingCode.H0)
    {
        var referral = Samples.Referral(sender, recipient);
        referral.Header.Handling = new Handling { Code = handling, Restriction = handling == HandlingCode.H3 ? "no use in court" : string.Empty };
        return referral;
    }

    private static IntakeRefusal AssertRefused(RuleOutcome outcome, RefusalCode code, string reason, string field)
    {
        Assert.NotNull(outcome.Refusal);
        Assert.Equal(code, outcome.Refusal.Code);
        Assert.Equal(reason, outcome.Refusal.Reason);
        Assert.Contains(outcome.Refusal.Violations, v => v.Field == field);
        return outcome.Refusal;
    }

    [Theory]
    [InlineData("CN/PLO-RU", "CN/FJPSD", HandlingCode.H3)]
    [InlineData("CN/FJPSD", "CN/MPS", HandlingCode.H3)]
    [InlineData("RU/MVD", "CN/FJPSD", HandlingCode.H2)]
    [InlineData("US/FBI", "CN/PLO-TH", HandlingCode.H1)]
    public void Agreed_routes_are_accepted(string sender, string recipient, HandlingCode handling)
    {
        Assert.Null(Check(Referral(sender, recipient, handling)).Refusal);
    }

    [Theory]
    [InlineData("AR/PFA", "RU/MVD", HandlingCode.H0)]
    [InlineData("CN/MPS", "RU", HandlingCode.H0)]
    [InlineData("RU/MVD", "CN/FJPSD", HandlingCode.H3)]
    public void A_route_no_agreement_covers_is_permission_denied_on_the_recipient(string sender, string recipient, HandlingCode handling)
    {
        var refusal = AssertRefused(
            Check(Referral(sender, recipient, handling)), RefusalCode.PermissionDenied, RouteRefusals.NotAgreedReason, "header.recipients[0]");

        Assert.DoesNotContain(recipient, refusal.Message + refusal.Violations[0].Description);
    }

    [Fact]
    public void Only_the_unagreed_recipients_are_named()
    {
        var referral = Referral("CN/MPS", "CN/FJPSD");
        referral.Header.Recipients.Add("US/FBI");

        var refusal = AssertRefused(Check(referral), RefusalCode.PermissionDenied, RouteRefusals.NotAgreedReason, "header.recipients[1]");

        Assert.Single(refusal.Violations);
    }

    [Fact]
    public void A_reply_may_not_name_recipients_since_it_goes_to_the_parties_of_what_it_answers()
    {
        var report = new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD", "AR/PFA"),
            Report = new LocationReport { Outcome = LocationOutcome.NotFound },
        };

        AssertRefused(
            _rules.Check(MessageKind.LocationReport, report.Header, report, AgencyId.Parse("RU/MVD")),
            RefusalCode.InvalidArgument,
            "business_rule",
            "header.recipients");
    }

    [Fact]
    public void A_sender_addressed_message_must_name_a_recipient_but_a_reply_need_not()
    {
        var referral = Referral("CN/PLO-RU", "CN/FJPSD");
        referral.Header.Recipients.Clear();
        var report = new ReportLocationRequest { Header = Samples.Header("RU/MVD"), Report = new LocationReport { Outcome = LocationOutcome.NotFound } };

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, "business_rule", "header.recipients");
        Assert.Null(_rules.Check(MessageKind.LocationReport, report.Header, report, AgencyId.Parse("RU/MVD")).Refusal);
    }

    [Fact]
    public void An_explicit_recipient_that_does_not_accept_the_kind_is_invalid()
    {
        var options = SampleDirectory.CreateOptions();
        options.Agencies.Single(a => a.Id == "CN/FJPSD").Accepts = ["CaseUpdate"];
        var rules = new IntakeRules(new AgencyDirectoryProvider(AgencyDirectory.FromOptions(options)), Options.Create(new IntakeLimits()), TimeProvider.System);
        var referral = Samples.Referral();

        var outcome = rules.Check(MessageKind.Referral, referral.Header, referral, AgencyId.Parse("CN/PLO-RU"));

        AssertRefused(outcome, RefusalCode.InvalidArgument, "business_rule", "header.recipients[0]");
    }

    [Fact]
    public void A_relay_path_over_the_hop_limit_is_refused()
    {
        var referral = Referral("CN/PLO-RU", "CN/FJPSD");
        referral.Header.RelayedBy.Add(["RU/MVD", "AR/PFA", "US/FBI", "CN/NCB"]);

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, RelayPath.HopLimitReason, RelayPath.Field);
    }

    [Fact]
    public void The_hop_limit_is_configurable()
    {
        var rules = new IntakeRules(SampleDirectory.Provider(), Options.Create(new IntakeLimits { MaxHops = 1 }), TimeProvider.System);
        var referral = Referral("CN/PLO-RU", "CN/FJPSD");
        referral.Header.RelayedBy.Add("RU/MVD");

        var outcome = rules.Check(MessageKind.Referral, referral.Header, referral, AgencyId.Parse("CN/PLO-RU"));

        AssertRefused(outcome, RefusalCode.InvalidArgument, RelayPath.HopLimitReason, RelayPath.Field);
    }

    [Theory]
    [InlineData("CN/PLO-RU")]
    [InlineData("CN/FJPSD")]
    public void A_relay_path_through_the_sender_or_a_recipient_is_a_loop(string relay)
    {
        var referral = Referral("CN/PLO-RU", "CN/FJPSD");
        referral.Header.RelayedBy.Add(["RU/MVD", relay]);

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, RelayPath.LoopReason, RelayPath.Field);
    }

    [Fact]
    public void A_loop_is_refused_for_replies_too()
    {
        var report = new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD"),
            Report = new LocationReport { Outcome = LocationOutcome.NotFound },
        };
        report.Header.RelayedBy.Add(["CN/PLO-RU", "CN/PLO-RU"]);

        var outcome = _rules.Check(MessageKind.LocationReport, report.Header, report, AgencyId.Parse("RU/MVD"));

        AssertRefused(outcome, RefusalCode.InvalidArgument, RelayPath.LoopReason, RelayPath.Field);
    }

    [Fact]
    public void A_relayed_message_on_an_agreed_route_is_accepted()
    {
        var referral = Referral("CN/PLO-RU", "CN/FJPSD");
        referral.Header.RelayedBy.Add(["RU/MVD"]);

        Assert.Null(Check(referral).Refusal);
    }
}
