using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Agencies;

public class AgencyDirectoryProviderTests
{
    private static DirectoryOptions WithPartnersToNcb()
    {
        var options = SampleDirectory.CreateOptions();
        options.Routes.Add(SampleDirectory.Route("ForeignPartner", "InterpolNcb", ["Referral"], "H2"));
        return options;
    }

    [Fact]
    public void An_update_replaces_the_snapshot_whole_and_fires_the_old_ones_change_token()
    {
        var first = SampleDirectory.Create();
        var provider = new AgencyDirectoryProvider(first);
        var fired = false;
        using var registration = first.ChangeToken.RegisterChangeCallback(_ => fired = true, null);
        var second = AgencyDirectory.FromOptions(WithPartnersToNcb());

        provider.Update(second);

        Assert.Same(second, provider.GetDirectory());
        Assert.True(first.ChangeToken.HasChanged);
        Assert.True(fired);
        Assert.False(second.ChangeToken.HasChanged);
    }

    [Fact]
    public void A_snapshot_taken_before_an_update_stays_as_it_was()
    {
        var provider = SampleDirectory.Provider();
        var taken = provider.GetDirectory();

        provider.Update(AgencyDirectory.FromOptions(WithPartnersToNcb()));

        Assert.Equal(7, taken.Routes.Agreements.Count);
        Assert.Equal(8, provider.GetDirectory().Routes.Agreements.Count);
    }

    [Fact]
    public void Intake_rules_read_the_snapshot_in_effect_at_each_decision()
    {
        var provider = SampleDirectory.Provider();
        var rules = new IntakeRules(provider, Options.Create(new IntakeLimits()), TimeProvider.System);
        var referral = Samples.Referral("RU/MVD", "CN/NCB");
        referral.Header.Handling = new Handling { Code = HandlingCode.H1 };

        Assert.NotNull(rules.Check(MessageKind.Referral, referral.Header, referral, AgencyId.Parse("RU/MVD")).Refusal);

        provider.Update(AgencyDirectory.FromOptions(WithPartnersToNcb()));

        Assert.Null(rules.Check(MessageKind.Referral, referral.Header, referral, AgencyId.Parse("RU/MVD")).Refusal);
    }

    [Fact]
    public void A_directory_that_fails_any_validator_is_not_built()
    {
        var options = WithPartnersToNcb();
        options.Routes.Add(SampleDirectory.Route("CN/XYZ", "CN", ["Referral"], "H2"));
        options.Agencies.Add(new AgencyOptions { Id = "XX", Kind = "Domestic" });

        var failures = DirectoryValidation.TryRead(options, DirectoryValidation.Default, out var directory);

        Assert.Null(directory);
        Assert.Equal(2, failures.Count);
    }

    [Fact]
    public void A_directory_every_validator_accepts_is_built()
    {
        var failures = DirectoryValidation.TryRead(WithPartnersToNcb(), DirectoryValidation.Default, out var directory);

        Assert.Empty(failures);
        Assert.Equal(AgencyDirectory.FromOptions(WithPartnersToNcb()).ContentHash, directory!.ContentHash);
    }
}
