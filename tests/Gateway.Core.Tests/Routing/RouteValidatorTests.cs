using Gateway.Core.Agencies;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Routing;

public class RouteValidatorTests
{
    private static DirectoryOptions WithRoutes(params RouteAgreementOptions[] routes)
    {
        var options = SampleDirectory.CreateOptions();
        options.Routes = [.. routes];
        return options;
    }

    /// <summary>What the gateway's validators together find, as a directory edit or start-up would see it.</summary>
    private static IReadOnlyList<string> Failures(DirectoryOptions options) =>
        DirectoryValidation.TryRead(options, DirectoryValidation.Default, out _);

    private static string SingleFailure(RouteAgreementOptions route)
    {
        return Assert.Single(Failures(WithRoutes(SampleDirectory.Route("CN/NCB", "CN", ["Referral"], "H3"), route)));
    }

    [Fact]
    public void The_sample_agreements_are_valid()
    {
        Assert.Empty(new RouteValidator().Validate(SampleDirectory.CreateOptions()));
        Assert.Empty(new RouteReferenceValidator().Validate(SampleDirectory.CreateOptions()));
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

        var failures = Failures(options);

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

    [Fact]
    public void Two_routes_between_the_same_parties_need_ids_of_their_own()
    {
        var lenient = SampleDirectory.Route("Domestic", "ForeignPartner", ["Referral"], "H1");

        Assert.Contains(
            "another route has the id 'Domestic -> ForeignPartner'",
            Assert.Single(Failures(WithRoutes(SampleDirectory.Route("Domestic", "ForeignPartner", ["LocationRequest"], "H2"), lenient))));

        lenient.Id = "referrals-to-partners";
        Assert.Empty(Failures(WithRoutes(SampleDirectory.Route("Domestic", "ForeignPartner", ["LocationRequest"], "H2"), lenient)));
    }

    [Fact]
    public void A_route_is_named_by_its_id_or_else_by_its_parties()
    {
        var options = WithRoutes(
            SampleDirectory.Route("Domestic", "CN", ["Referral"], "H3"),
            new RouteAgreementOptions { Id = "partners", From = "ForeignPartner", To = "Domestic", Kinds = ["Referral"], MaxHandling = "H2" });

        Assert.Equal(["Domestic -> CN", "partners"], AgencyDirectory.FromOptions(options).Routes.Agreements.Select(a => a.Id));
    }
}
