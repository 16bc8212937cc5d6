using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Intake;

public class IntakeRulesTests
{
    private static readonly AgencyId LiaisonMoscow = AgencyId.Parse("CN/PLO-RU");
    private static readonly AgencyId Ministry = AgencyId.Parse("CN/MPS");

    private readonly IntakeRules _rules = new(SampleDirectory.Provider(), Options.Create(new IntakeLimits()), TimeProvider.System);

    private RuleOutcome Check(SubmitReferralRequest r, AgencyId? caller = null) =>
        _rules.Check(MessageKind.Referral, r.Header, r, caller ?? LiaisonMoscow);

    private RuleOutcome Check(RequestLocationRequest r) => _rules.Check(MessageKind.LocationRequest, r.Header, r, Ministry);

    private static void AssertRefused(RuleOutcome outcome, RefusalCode code, string field)
    {
        Assert.NotNull(outcome.Refusal);
        Assert.Equal(code, outcome.Refusal.Code);
        Assert.Contains(outcome.Refusal.Violations, v => v.Field == field);
    }

    [Fact]
    public void A_valid_referral_resolves_its_recipient_and_keeps_the_coordination_hold()
    {
        var outcome = Check(Samples.Referral());

        Assert.Null(outcome.Refusal);
        Assert.Equal([AgencyId.Parse("CN/FJPSD")], outcome.Recipients);
        Assert.True(outcome.CoordinationHold);
        Assert.False(outcome.HeldForReview);
    }

    [Fact]
    public void Sender_other_than_the_caller_is_permission_denied()
    {
        AssertRefused(Check(Samples.Referral(), Ministry), RefusalCode.PermissionDenied, "header.sender");
    }

    [Fact]
    public void Unknown_recipient_agency_is_not_found()
    {
        AssertRefused(Check(Samples.Referral(recipient: "CN/XXPSD")), RefusalCode.NotFound, "header.recipients[0]");
    }

    [Fact]
    public void Recipient_resolving_to_the_sender_is_refused()
    {
        AssertRefused(Check(Samples.Referral(recipient: "CN/PLO-RU")), RefusalCode.InvalidArgument, "header.recipients[0]");
    }

    [Fact]
    public void Reply_by_in_the_past_is_refused()
    {
        var referral = Samples.Referral();
        referral.Header.ReplyBy = Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(-1));

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, "header.reply_by");
    }

    [Fact]
    public void More_recipients_than_the_limit_are_refused()
    {
        var referral = Samples.Referral();
        referral.Header.Recipients.Clear();
        referral.Header.Recipients.Add(Enumerable.Range(0, 17).Select(i => $"CN/X{i:00}"));

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, "header.recipients");
    }

    [Fact]
    public void More_subjects_than_the_limit_are_refused()
    {
        var referral = Samples.Referral();
        referral.Referral.Subjects.Add(Enumerable.Range(0, 19).Select(_ => Samples.Accomplice()));

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, "referral.subjects");
    }

    [Fact]
    public void Coordination_release_party_must_be_in_the_directory()
    {
        var referral = Samples.Referral();
        referral.Referral.Coordination.ReleaseParty = "RU/FSB";

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, "referral.coordination.release_party");
    }

    [Fact]
    public void Unassigned_nationality_is_refused()
    {
        var referral = Samples.Referral();
        referral.Referral.Subjects[1].Nationalities[0] = "ZZ";

        AssertRefused(Check(referral), RefusalCode.InvalidArgument, "referral.subjects[1].nationalities[0]");
    }

    [Fact]
    public void Prosecution_needs_a_charge_of_at_least_two_years()
    {
        var request = Samples.LocationRequest();
        request.Request.Charges[0].MaximumPenaltyMonths = 23;

        AssertRefused(Check(request), RefusalCode.InvalidArgument, "request.charges");
    }

    [Fact]
    public void Sentence_needs_at_least_six_months_remaining()
    {
        var request = Samples.LocationRequest();
        request.Request.Warrant.Basis = WarrantBasis.Sentence;
        request.Request.Warrant.RemainingSentenceMonths = 5;

        AssertRefused(Check(request), RefusalCode.InvalidArgument, "request.warrant.remaining_sentence_months");
    }

    [Fact]
    public void Sentence_with_six_months_remaining_is_accepted()
    {
        var request = Samples.LocationRequest();
        request.Request.Warrant.Basis = WarrantBasis.Sentence;
        request.Request.Warrant.RemainingSentenceMonths = 6;

        Assert.Null(Check(request).Refusal);
    }

    [Theory]
    [InlineData(OffenceCharacter.Political)]
    [InlineData(OffenceCharacter.Military)]
    [InlineData(OffenceCharacter.Religious)]
    [InlineData(OffenceCharacter.Racial)]
    public void Political_military_religious_or_racial_offences_are_held_for_review(OffenceCharacter character)
    {
        var request = Samples.LocationRequest();
        request.Request.Charges[0].Offence.Character = character;

        var outcome = Check(request);

        Assert.Null(outcome.Refusal);
        Assert.True(outcome.HeldForReview);
    }

    [Fact]
    public void Location_request_fans_out_through_competent_agency_liaison_office_and_partner()
    {
        var outcome = Check(Samples.LocationRequest());

        Assert.Equal(["RU/MVD", "CN/PLO-TH", "US/FBI"], outcome.Recipients.Select(r => r.ToString()));
    }

    [Fact]
    public void Every_target_country_must_be_covered_by_a_recipient()
    {
        var request = Samples.LocationRequest();
        request.Request.TargetCountries.Add("AR");

        AssertRefused(Check(request), RefusalCode.InvalidArgument, "request.target_countries[3]");
    }

    [Fact]
    public void Violation_descriptions_do_not_repeat_personal_data()
    {
        var referral = Samples.Referral();
        referral.Referral.Subjects[0].Documents[0].IssuingCountry = "ZZ";
        referral.Referral.Subjects[0].Nationalities[0] = "QQ";

        var refusal = Check(referral).Refusal!;

        var text = refusal.Message + string.Join(' ', refusal.Violations.Select(v => v.Field + v.Description));
        Assert.DoesNotContain(Samples.PassportNumber, text);
        Assert.DoesNotContain(Samples.SubjectLatinName, text);
        Assert.Equal(2, refusal.Violations.Count);
    }
}
