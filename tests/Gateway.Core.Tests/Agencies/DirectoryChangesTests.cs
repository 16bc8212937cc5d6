using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Agencies;

public class DirectoryChangesTests
{
    private static AgencyDirectory Edited(Action<DirectoryOptions> edit)
    {
        var options = SampleDirectory.CreateOptions();
        edit(options);
        return AgencyDirectory.FromOptions(options);
    }

    [Fact]
    public void The_same_content_is_no_change()
    {
        var changes = DirectoryChanges.Between(SampleDirectory.Create(), SampleDirectory.Create());

        Assert.Equal(new DirectoryChanges([], [], [], [], [], []), changes with { });
        Assert.All(
            [changes.AgenciesAdded, changes.AgenciesRemoved, changes.AgenciesChanged, changes.RoutesAdded, changes.RoutesRemoved, changes.RoutesChanged],
            Assert.Empty);
    }

    [Fact]
    public void Without_a_directory_before_everything_is_added()
    {
        var sample = SampleDirectory.Create();

        var changes = DirectoryChanges.Between(null, sample);

        Assert.Equal(sample.Agencies.Select(a => a.Id.ToString()).Order(StringComparer.Ordinal), changes.AgenciesAdded);
        Assert.Equal(sample.Routes.Agreements.Select(r => r.Id).Order(StringComparer.Ordinal), changes.RoutesAdded);
        Assert.Empty(changes.AgenciesRemoved);
        Assert.Empty(changes.RoutesChanged);
    }

    [Fact]
    public void Agencies_are_added_removed_and_changed_by_id()
    {
        var after = Edited(o =>
        {
            o.Agencies.RemoveAll(a => a.Id == "US/FBI");
            o.Agencies.Add(new AgencyOptions { Id = "DE/BKA", Name = "Bundeskriminalamt", Kind = "ForeignPartner" });
            o.Agencies.Single(a => a.Id == "CN/FJPSD").Endpoint = "http://127.0.0.1:6092";
        });

        var changes = DirectoryChanges.Between(SampleDirectory.Create(), after);

        Assert.Equal(["DE/BKA"], changes.AgenciesAdded);
        Assert.Equal(["US/FBI"], changes.AgenciesRemoved);
        Assert.Equal(["CN/FJPSD"], changes.AgenciesChanged);
        Assert.Empty(changes.RoutesAdded);
    }

    [Fact]
    public void Routes_are_added_removed_and_changed_by_id()
    {
        var after = Edited(o =>
        {
            o.Routes.RemoveAll(r => r.From == "CN/NCB");
            o.Routes.Add(SampleDirectory.Route("ForeignPartner", "InterpolNcb", ["Referral"], "H1"));
            o.Routes.Single(r => r.From == "Domestic" && r.To == "ForeignPartner").MaxHandling = "H3";
        });

        var changes = DirectoryChanges.Between(SampleDirectory.Create(), after);

        Assert.Equal(["ForeignPartner -> InterpolNcb"], changes.RoutesAdded);
        Assert.Equal(["CN/NCB -> CN"], changes.RoutesRemoved);
        Assert.Equal(["Domestic -> ForeignPartner"], changes.RoutesChanged);
        Assert.Empty(changes.AgenciesChanged);
    }

    [Fact]
    public void The_order_kinds_are_listed_in_is_no_change()
    {
        var after = Edited(o =>
        {
            o.Routes[0].Kinds.Reverse();
            o.Agencies[0].CompetentFor.Reverse();
        });

        Assert.Empty(DirectoryChanges.Between(SampleDirectory.Create(), after).RoutesChanged);
        Assert.Empty(DirectoryChanges.Between(SampleDirectory.Create(), after).AgenciesChanged);
    }

    [Fact]
    public void An_agency_that_starts_accepting_every_kind_is_changed()
    {
        var before = Edited(o => o.Agencies.Single(a => a.Id == "RU/MVD").Accepts = ["Referral"]);

        Assert.Equal(["RU/MVD"], DirectoryChanges.Between(before, SampleDirectory.Create()).AgenciesChanged);
    }
}
