using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Audit;

public sealed class DirectoryLoadedEntryTests
{
    [Fact]
    public void A_reload_is_audited_by_the_gateway_with_the_hash_and_only_the_lists_that_changed()
    {
        var options = SampleDirectory.CreateOptions();
        options.Routes.RemoveAt(2);
        options.Routes.Add(SampleDirectory.Route("ForeignPartner", "InterpolNcb", ["Referral"], "H1"));
        var after = AgencyDirectory.FromOptions(options);

        var entry = AuditEntries.DirectoryLoaded(after, DirectoryChanges.Between(SampleDirectory.Create(), after));

        Assert.Equal((AuditKinds.DirectoryLoaded, "gateway", (string?)null), (entry.Kind, entry.Actor, entry.MessageId));
        Assert.Equal(
            $$"""{"v":2,"content_hash":"{{after.ContentHash}}","routes_added":["ForeignPartner -> InterpolNcb"],"routes_removed":["CN/NCB -> CN"]}""",
            entry.Details.Serialize());
        Assert.Equal(entry.Details, AuditDetails.Parse(entry.Details.Serialize()));
    }

    [Fact]
    public void The_start_up_entry_adds_every_agency_and_route()
    {
        var sample = SampleDirectory.Create();

        var details = AuditEntries.DirectoryLoaded(sample, DirectoryChanges.Between(null, sample)).Details;

        Assert.Equal(8, details.AgenciesAdded!.Count);
        Assert.Equal(7, details.RoutesAdded!.Count);
        Assert.Null(details.AgenciesRemoved);
    }
}
