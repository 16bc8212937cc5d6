using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Operations;

/// <summary>Operators read the directory as configured: the sample agencies and their route agreements.</summary>
public class DirectoryInspectionTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly OperationsService.OperationsServiceClient _client = new(server.Channel);

    [Fact]
    public async Task ListAgencies_lists_the_sample_directory_by_id()
    {
        var sample = SampleDirectory.Create();

        var response = await _client.ListAgenciesAsync(new ListAgenciesRequest(), AsOperator());

        Assert.Equal(sample.Agencies.Select(a => a.Id.ToString()), response.Agencies.Select(a => a.Id));
        var fujian = response.Agencies.Single(a => a.Id == "CN/FJPSD");
        Assert.Equal(("Fujian Provincial Public Security Department", "Domestic", "http://127.0.0.1:5092", string.Empty),
            (fujian.Name, fujian.Kind, fujian.Endpoint, fujian.PostedIn));
        Assert.Equal(System.Enum.GetNames<MessageKind>(), fujian.Accepts);
        var moscow = response.Agencies.Single(a => a.Id == "CN/PLO-RU");
        Assert.Equal(("LiaisonOffice", "RU"), (moscow.Kind, moscow.PostedIn));
        var ncb = response.Agencies.Single(a => a.Id == "CN/NCB");
        Assert.Equal("InterpolNcb", ncb.Kind);
        Assert.Equal(["LocationRequest", "LocationReport", "Withdrawal"], ncb.CompetentFor);
        foreach (var agency in sample.Agencies)
        {
            var listed = response.Agencies.Single(a => a.Id == agency.Id.ToString());
            Assert.Equal((agency.Name, agency.Kind.ToString()), (listed.Name, listed.Kind));
            Assert.Equal(agency.CompetentFor.Order().Select(k => k.ToString()), listed.CompetentFor);
        }
    }

    [Fact]
    public async Task ListRoutes_lists_the_agreements_in_configured_order()
    {
        var sample = SampleDirectory.Create();

        var response = await _client.ListRoutesAsync(new ListRoutesRequest(), AsOperator());

        Assert.Equal(
            sample.Routes.Agreements.Select(a => $"{a.From.Text} -> {a.To.Text}: {string.Join(",", a.Kinds)} {HandlingCodes.Name(a.MaxHandling)}"),
            response.Routes.Select(r => $"{r.From} -> {r.To}: {string.Join(",", r.Kinds)} {r.MaxHandling}"));
        Assert.Equal(("Domestic", "ForeignPartner", "LocationRequest,CaseUpdate", "H2"),
            (response.Routes[3].From, response.Routes[3].To, string.Join(",", response.Routes[3].Kinds), response.Routes[3].MaxHandling));
    }
}
