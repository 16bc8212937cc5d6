using Gateway.Core.Agencies;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Routing;

public class RouteOptionsValidatorTests
{
    private static DirectoryOptions WithRoutes(params RouteAgreementOptions[] routes)
    {
        var options = SampleDirectory.CreateOptions();
        options.Routes = [.. routes];
        return options;
    }

    private static string SingleFailure(RouteAgreementOptions route)
    {
        var result = new RouteOptionsValidator().Validate(null, WithRoutes(SampleDirectory.Route("Domestic", "CN", ["Referral"], "H3"), route));

        Assert.True(result.Failed);
        return Assert.Single(result.Failures!);
    }

    [Fact]
    public void The_sample_agreements_are_valid()
    {
        Assert.True(new RouteOptionsValidator().Validate(null, SampleDirectory.CreateOptions()).Succeeded);
    }

    [Theory]
    [InlineData("CN/XYZ", "CN", "Referral", "H2", "From names agency 'CN/XYZ'")]
    [InlineData("Domestic", "RU/FSB", "Referral", "H2", "To names agency 'RU/FSB'")]
    [InlineData("RU", "CN", "Referral", "H2", "From must be")]
    [InlineData("Police", "CN", "Referral", "H2", "From must be")]
    [InlineData("Domestic", "ZZ", "Referral", "H2", "To must be")]
    [InlineData("Domestic", "CN", "Refferal", "H2", "'Refferal' is not a message kind")]
    [InlineData("Domestic", "CN", "7", "H2", "'7' is not a message kind")]
    [InlineData("Domestic", "CN", "Referral", "H4", "MaxHandling must be")]
    [InlineData("Domestic", "CN", "Referral", "", "MaxHandling must be")]
    public void A_bad_entry_fails_start_up_naming_the_entry(string from, string to, string kind, string maxHandling, string expected)
    {
        var failure = SingleFailure(SampleDirectory.Route(from, to, [kind], maxHandling));

        Assert.StartsWith($"Route 1 ('{from}' -> '{to}'): ", failure);
        Assert.Contains(expected, failure);
    }

    [Fact]
    public void An_entry_without_kinds_fails()
    {
        Assert.Contains("Kinds must list at least one", SingleFailure(SampleDirectory.Route("Domestic", "CN", [], "H1")));
    }

    [Fact]
    public void Every_problem_of_every_entry_is_reported()
    {
        var options = WithRoutes(
            SampleDirectory.Route("CN/XYZ", "RU/FSB", ["Referral"], "H9"),
            SampleDirectory.Route("Domestic", "CN", ["Nope"], "H0"));

        var failures = new RouteOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(4, failures.Count);
        Assert.Equal(3, failures.Count(f => f.StartsWith("Route 0 ", StringComparison.Ordinal)));
        Assert.Single(failures, f => f.StartsWith("Route 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_directory_reads_the_agreements_in_configured_order()
    {
        var agreements = SampleDirectory.Create().Routes.Agreements;

        Assert.Equal(SampleDirectory.CreateOptions().Routes.Select(r => (r.From, r.To)), agreements.Select(a => (a.From.Text, a.To.Text)));
        Assert.Equal("ForeignPartner -> Domestic: Referral, CaseUpdate up to H2", agreements[5].ToString());
    }
}
