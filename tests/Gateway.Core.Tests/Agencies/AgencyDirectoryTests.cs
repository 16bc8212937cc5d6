using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Agencies;

public class AgencyDirectoryTests
{
    private readonly AgencyDirectory _directory = SampleDirectory.Create();

    [Theory]
    [InlineData("RU", MessageKind.LocationRequest, "RU/MVD")]
    [InlineData("TH", MessageKind.LocationRequest, "CN/PLO-TH")]
    [InlineData("DE", MessageKind.LocationRequest, "CN/NCB")]
    [InlineData("CN/FJPSD", MessageKind.Referral, "CN/FJPSD")]
    public void Resolves_agency_or_country_to_the_agency_that_carries_the_kind(string recipient, MessageKind kind, string expected)
    {
        Assert.Equal(expected, _directory.Resolve(recipient, kind)?.Id.ToString());
    }

    [Theory]
    [InlineData("DE", MessageKind.Referral)]
    [InlineData("ZZ", MessageKind.LocationRequest)]
    [InlineData("CN/NOPE", MessageKind.Referral)]
    public void Does_not_resolve_what_nothing_in_the_directory_can_carry(string recipient, MessageKind kind)
    {
        Assert.Null(_directory.Resolve(recipient, kind));
    }

    [Fact]
    public void Country_resolution_skips_agencies_that_do_not_accept_the_kind()
    {
        var options = SampleDirectory.CreateOptions();
        options.Agencies.Single(a => a.Id == "RU/MVD").Accepts = ["Referral"];
        var directory = AgencyDirectory.FromOptions(options);

        Assert.Equal("RU/MVD", directory.Resolve("RU", MessageKind.Referral)?.Id.ToString());
        Assert.Equal("CN/PLO-RU", directory.Resolve("RU", MessageKind.LocationRequest)?.Id.ToString());
        Assert.Equal("RU/MVD", directory.Resolve("RU/MVD", MessageKind.LocationRequest)?.Id.ToString());
    }

    [Fact]
    public void Configured_endpoints_and_accepted_kinds_are_read()
    {
        var fujian = _directory.Agencies.Single(a => a.Id.ToString() == "CN/FJPSD");

        Assert.Equal(new Uri("http://127.0.0.1:5092"), fujian.Endpoint);
        Assert.Null(fujian.Accepts);
        Assert.True(fujian.AcceptsKind(MessageKind.HoldRelease));
    }

    [Theory]
    [InlineData("CN/MPS", true)]
    [InlineData("INT/IPSG", true)]
    [InlineData("cn/mps", false)]
    [InlineData("CN/M", false)]
    [InlineData("CHN/MPS", false)]
    [InlineData("CN/MPS/X", false)]
    public void Parses_only_country_slash_code(string value, bool valid)
    {
        Assert.Equal(valid, AgencyId.TryParse(value, out _));
    }
}
