using Gateway.Core.Agencies;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Agencies;

public class AgencyValidatorTests
{
    private static IReadOnlyList<string> Failures(params AgencyOptions[] agencies) =>
        [.. new AgencyValidator().Validate(new DirectoryOptions { Agencies = [.. agencies] })];

    [Fact]
    public void The_sample_agencies_are_valid()
    {
        Assert.Empty(new AgencyValidator().Validate(SampleDirectory.CreateOptions()));
    }

    [Theory]
    [InlineData("CN-MPS")]
    [InlineData("ZZ/X1")]
    [InlineData("cn/mps")]
    [InlineData("")]
    public void An_id_that_is_not_country_slash_code_is_refused(string id)
    {
        Assert.Contains("is not COUNTRY/CODE", Assert.Single(Failures(new AgencyOptions { Id = id, Kind = "Domestic" })));
    }

    [Fact]
    public void An_id_listed_twice_is_refused()
    {
        var failure = Assert.Single(Failures(
            new AgencyOptions { Id = "CN/MPS", Kind = "Domestic" },
            new AgencyOptions { Id = "CN/MPS", Kind = "Domestic" }));

        Assert.Equal("Agency 'CN/MPS' is listed twice.", failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Police")]
    [InlineData("domestic")]
    [InlineData("1")]
    public void An_agency_needs_one_of_the_four_kinds_by_name(string kind)
    {
        Assert.Equal(
            "Agency 'CN/MPS' needs a Kind: Domestic, LiaisonOffice, ForeignPartner, InterpolNcb.",
            Assert.Single(Failures(new AgencyOptions { Id = "CN/MPS", Kind = kind })));
    }

    [Fact]
    public void Competent_and_accepted_kinds_must_be_message_kind_names()
    {
        var failures = Failures(new AgencyOptions { Id = "CN/MPS", Kind = "Domestic", CompetentFor = ["Referral", "Referal"], Accepts = ["3"] });

        Assert.Equal(2, failures.Count);
        Assert.StartsWith("Agency 'CN/MPS': CompetentFor: 'Referal' is not a message kind; use Referral, ", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("Agency 'CN/MPS': Accepts: '3' is not a message kind", failures[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AgencyKind.ForeignPartner, "RU")]
    [InlineData(AgencyKind.LiaisonOffice, "ZZ")]
    public void PostedIn_is_for_liaison_offices_and_names_a_country(AgencyKind kind, string postedIn)
    {
        Assert.Contains("PostedIn is for liaison offices", Assert.Single(Failures(new AgencyOptions { Id = "CN/PLO-RU", Kind = kind.ToString(), PostedIn = postedIn })));
    }

    [Theory]
    [InlineData("127.0.0.1:5091")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("/relative")]
    public void An_endpoint_must_be_an_absolute_http_url(string endpoint)
    {
        Assert.Contains("Endpoint must be an absolute http or https URL", Assert.Single(Failures(new AgencyOptions { Id = "CN/MPS", Kind = "Domestic", Endpoint = endpoint })));
    }

    [Fact]
    public void Every_problem_is_reported()
    {
        var failures = Failures(
            new AgencyOptions { Id = "CN/MPS", Kind = "Domestic" },
            new AgencyOptions { Id = "CN/MPS", Kind = "Domestic" },
            new AgencyOptions { Id = "ZZ/X1", Kind = "Domestic" },
            new AgencyOptions { Id = "RU/MVD", Kind = "ForeignPartner", PostedIn = "RU" });

        Assert.Equal(3, failures.Count);
    }
}
