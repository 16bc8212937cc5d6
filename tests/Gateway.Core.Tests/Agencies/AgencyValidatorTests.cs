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
        Assert.Contains("is not COUNTRY/CODE", Assert.Single(Failures(new AgencyOptions { Id = id, Kind = AgencyKind.Domestic })));
    }

    [Fact]
    public void An_id_listed_twice_is_refused()
    {
        var failure = Assert.Single(Failures(
            new AgencyOptions { Id = "CN/MPS", Kind = AgencyKind.Domestic },
            new AgencyOptions { Id = "CN/MPS", Kind = AgencyKind.Domestic }));

        Assert.Equal("Agency 'CN/MPS' is listed twice.", failure);
    }

    [Fact]
    public void An_agency_needs_a_kind()
    {
        Assert.Contains("needs a Kind", Assert.Single(Failures(new AgencyOptions { Id = "CN/MPS" })));
    }

    [Theory]
    [InlineData(AgencyKind.ForeignPartner, "RU")]
    [InlineData(AgencyKind.LiaisonOffice, "ZZ")]
    public void PostedIn_is_for_liaison_offices_and_names_a_country(AgencyKind kind, string postedIn)
    {
        Assert.Contains("PostedIn is for liaison offices", Assert.Single(Failures(new AgencyOptions { Id = "CN/PLO-RU", Kind = kind, PostedIn = postedIn })));
    }

    [Theory]
    [InlineData("127.0.0.1:5091")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("/relative")]
    public void An_endpoint_must_be_an_absolute_http_url(string endpoint)
    {
        Assert.Contains("Endpoint must be an absolute http or https URL", Assert.Single(Failures(new AgencyOptions { Id = "CN/MPS", Kind = AgencyKind.Domestic, Endpoint = endpoint })));
    }

    [Fact]
    public void Every_problem_is_reported()
    {
        var failures = Failures(
            new AgencyOptions { Id = "CN/MPS", Kind = AgencyKind.Domestic },
            new AgencyOptions { Id = "CN/MPS", Kind = AgencyKind.Domestic },
            new AgencyOptions { Id = "ZZ/X1", Kind = AgencyKind.Domestic },
            new AgencyOptions { Id = "RU/MVD", Kind = AgencyKind.ForeignPartner, PostedIn = "RU" });

        Assert.Equal(3, failures.Count);
    }
}
