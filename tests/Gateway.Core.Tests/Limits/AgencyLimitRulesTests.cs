using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Limits;
using Gateway.Tests.Shared;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Limits;

/// <summary>Per-agency limits as plain rules: settings validation, overrides field by field, recipients and size.</summary>
public class AgencyLimitRulesTests
{
    private static readonly AgencyId Mvd = AgencyId.Parse("RU/MVD");

    private static bool Known(AgencyId agency) => agency == Mvd;

    [Fact]
    public void The_safe_defaults_are_valid_and_equal_todays_global_limits()
    {
        var limit = new AgencyLimitTable(new AgencyLimitsOptions()).For(Mvd);

        Assert.Empty(AgencyLimitRules.Validate(new AgencyLimitsOptions(), Known));
        Assert.Equal((200, 400, 8, new IntakeLimits().MaxRecipients), (limit.PermitsPerSecond, limit.Burst, limit.MaxConcurrentStreams, limit.MaxRecipients));
        Assert.Equal(AgencyLimitSettings.TransportMessageBytes, limit.MaxBytes(MessageKind.Referral));
        Assert.Equal(AgencyLimitSettings.TransportMessageBytes, limit.MaxBytes(MessageKind.CaseUpdate));
        Assert.Null(limit.MaxBytes(MessageKind.HoldRelease));
    }

    [Fact]
    public void An_override_replaces_only_the_fields_it_sets()
    {
        var options = new AgencyLimitsOptions();
        options.Default.Burst = 40;
        options.Agencies["RU/MVD"] = new AgencyLimitSettings { PermitsPerSecond = 5, MaxMessageBytes = { ["caseupdate"] = 2048 } };
        var table = new AgencyLimitTable(options);

        var mvd = table.For(Mvd);
        var other = table.For(AgencyId.Parse("US/FBI"));

        Assert.Equal((5, 40, 8), (mvd.PermitsPerSecond, mvd.Burst, mvd.MaxConcurrentStreams));
        Assert.Equal(2048, mvd.MaxBytes(MessageKind.CaseUpdate));
        Assert.Equal(AgencyLimitSettings.TransportMessageBytes, mvd.MaxBytes(MessageKind.Referral));
        Assert.Equal((200, 40), (other.PermitsPerSecond, other.Burst));
        Assert.Equal(AgencyLimitSettings.TransportMessageBytes, other.MaxBytes(MessageKind.CaseUpdate));
    }

    [Fact]
    public void Invalid_settings_are_each_named()
    {
        var options = new AgencyLimitsOptions();
        options.Default.PermitsPerSecond = 0;
        options.Default.MaxMessageBytes["Notice"] = 10;
        options.Agencies["XX/NOBODY"] = new AgencyLimitSettings { Burst = -1 };
        options.Agencies["not-an-agency"] = new AgencyLimitSettings();
        options.Agencies["RU/MVD"] = new AgencyLimitSettings { MaxMessageBytes = { ["Referal"] = 100, ["Referral"] = 0 } };

        var failures = AgencyLimitRules.Validate(options, Known);

        Assert.Equal(
            [
                "Gateway:AgencyLimits:Default:PermitsPerSecond must be a positive number.",
                "Gateway:AgencyLimits:Default:MaxMessageBytes:Notice is not a message kind an agency sends (Referral, LocationRequest, LocationReport, Withdrawal, CaseUpdate, HoldRelease, HoldCancellation, ReferralAnswer, ClarificationAnswer).",
                "Gateway:AgencyLimits:Agencies:XX/NOBODY names no agency of the directory; remove it or fix the id.",
                "Gateway:AgencyLimits:Agencies:XX/NOBODY:Burst must be a positive number.",
                "Gateway:AgencyLimits:Agencies:not-an-agency must be keyed by an agency id of the form COUNTRY/CODE, e.g. RU/MVD.",
                "Gateway:AgencyLimits:Agencies:RU/MVD:MaxMessageBytes:Referal is not a message kind an agency sends (Referral, LocationRequest, LocationReport, Withdrawal, CaseUpdate, HoldRelease, HoldCancellation, ReferralAnswer, ClarificationAnswer).",
                "Gateway:AgencyLimits:Agencies:RU/MVD:MaxMessageBytes:Referral must be a positive number.",
            ],
            failures);
    }

    [Fact]
    public void Numeric_kind_names_are_not_kinds() => Assert.Null(AgencyLimitRules.ParseKind("1"));

    [Fact]
    public void Recipients_over_the_agencys_maximum_are_refused_as_a_limit_on_the_recipients_field()
    {
        var limit = Limit(maxRecipients: 2);

        Assert.Null(AgencyLimitRules.CheckRecipients(limit, 2));
        var refusal = AgencyLimitRules.CheckRecipients(limit, 3);

        Assert.NotNull(refusal);
        Assert.Equal((RefusalCode.InvalidArgument, AgencyLimitRules.RecipientsExceeded, true), (refusal.Code, refusal.Reason, refusal.AgencyLimit));
        Assert.Equal("header.recipients", Assert.Single(refusal.Violations).Field);
    }

    [Fact]
    public void A_message_over_the_agencys_size_for_its_kind_is_resource_exhausted_and_a_kind_without_a_size_is_not_checked()
    {
        var limit = Limit(maxRecipients: 16, (MessageKind.Referral, 100));

        Assert.Null(AgencyLimitRules.CheckSize(limit, MessageKind.Referral, 100));
        Assert.Null(AgencyLimitRules.CheckSize(limit, MessageKind.CaseUpdate, 1_000_000));
        var refusal = AgencyLimitRules.CheckSize(limit, MessageKind.Referral, 101);

        Assert.NotNull(refusal);
        Assert.Equal((RefusalCode.ResourceExhausted, AgencyLimitRules.MessageTooLarge, true), (refusal.Code, refusal.Reason, refusal.AgencyLimit));
        Assert.DoesNotContain("101", Assert.Single(refusal.Violations).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Intake_applies_the_callers_recipients_and_size_and_leaves_other_agencies_on_the_defaults()
    {
        var options = new AgencyLimitsOptions();
        options.Agencies["CN/PLO-RU"] = new AgencyLimitSettings { MaxMessageBytes = { ["Referral"] = 64 } };
        options.Agencies["CN/PLO-TH"] = new AgencyLimitSettings { MaxRecipients = 1 };
        var rules = new IntakeRules(SampleDirectory.Provider(), Options.Create(new IntakeLimits()), TimeProvider.System, new AgencyLimitTable(options));

        var large = Samples.Referral("CN/PLO-RU", "CN/FJPSD");
        var twoRecipients = Samples.Referral("CN/PLO-TH", "CN/FJPSD");
        twoRecipients.Header.Recipients.Add("CN/MPS");
        var fromOther = Samples.Referral("CN/MPS", "CN/FJPSD");
        fromOther.Referral.Coordination = null;

        Assert.Equal(AgencyLimitRules.MessageTooLarge, Check(rules, large)?.Reason);
        Assert.Equal(AgencyLimitRules.RecipientsExceeded, Check(rules, twoRecipients)?.Reason);
        Assert.Null(Check(rules, fromOther));
    }

    private static IntakeRefusal? Check(IntakeRules rules, Interagency.V1.SubmitReferralRequest referral) =>
        rules.Check(MessageKind.Referral, referral.Header, referral, AgencyId.Parse(referral.Header.Sender)).Refusal;

    private static AgencyLimit Limit(int maxRecipients, params (MessageKind Kind, int Bytes)[] sizes) =>
        new(10, 10, 1, maxRecipients, sizes.ToDictionary(s => s.Kind, s => s.Bytes));
}
