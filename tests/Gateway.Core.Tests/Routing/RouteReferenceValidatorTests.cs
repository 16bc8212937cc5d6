using Gateway.Core.Agencies;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Routing;

public class RouteReferenceValidatorTests
{
    private static IReadOnlyList<string> Failures(params RouteAgreementOptions[] routes)
    {
        var options = SampleDirectory.CreateOptions();
        options.Routes = [.. routes];
        return [.. new RouteReferenceValidator().Validate(options)];
    }

    [Fact]
    public void A_sender_agency_outside_the_directory_is_refused()
    {
        Assert.Equal(
            "Route 0 ('CN/XYZ' -> 'CN'): From names agency 'CN/XYZ', which is not in the directory.",
            Assert.Single(Failures(SampleDirectory.Route("CN/XYZ", "CN", ["Referral"], "H2"))));
    }

    [Fact]
    public void A_recipient_agency_outside_the_directory_is_refused()
    {
        Assert.Equal(
            "Route 0 ('Domestic' -> 'RU/FSB'): To names agency 'RU/FSB', which is not in the directory.",
            Assert.Single(Failures(SampleDirectory.Route("Domestic", "RU/FSB", ["Referral"], "H2"))));
    }

    [Fact]
    public void Kinds_countries_and_anyone_name_no_agency()
    {
        Assert.Empty(Failures(
            SampleDirectory.Route("*", "RU", ["Referral"], "H2"),
            SampleDirectory.Route("ForeignPartner", "*", ["Referral"], "H2"),
            SampleDirectory.Route("RU/MVD", "CN/FJPSD", ["Referral"], "H2")));
    }

    [Fact]
    public void An_agency_removed_from_the_directory_breaks_the_routes_that_name_it()
    {
        var options = SampleDirectory.CreateOptions();
        options.Agencies.RemoveAll(a => a.Id == "CN/NCB");

        Assert.Equal(
            "Route 2 ('CN/NCB' -> 'CN'): From names agency 'CN/NCB', which is not in the directory.",
            Assert.Single(new RouteReferenceValidator().Validate(options)));
    }

    [Fact]
    public void A_pattern_that_does_not_parse_is_left_to_the_route_validator()
    {
        Assert.Empty(Failures(SampleDirectory.Route("RU", "ZZ", ["Referral"], "H2")));
    }
}
