using Gateway.Core.Agencies;
using Gateway.Core.Identity;

namespace Gateway.Core.Tests.Identity;

public sealed class AgencyCertificatePinsTests
{
    private static readonly AgencyId Mps = AgencyId.Parse("CN/MPS");
    private static readonly AgencyId Mvd = AgencyId.Parse("RU/MVD");

    [Fact]
    public void A_thumbprint_finds_the_agency_that_registered_it_in_any_case_of_hex()
    {
        var pins = AgencyCertificatePins.Build([(Mps, "AA11"), (Mvd, "BB22")]);

        Assert.Equal(Mps, pins.Find("aa11"));
        Assert.Equal(Mvd, pins.Find("BB22"));
        Assert.Null(pins.Find("CC33"));
        Assert.Empty(pins.Ambiguous);
    }

    [Fact]
    public void A_certificate_registered_by_two_agencies_identifies_neither()
    {
        var pins = AgencyCertificatePins.Build([(Mps, "AA11"), (Mvd, "aa11"), (Mvd, "BB22")]);

        Assert.Null(pins.Find("AA11"));
        Assert.Equal(["AA11"], pins.Ambiguous);
        Assert.Equal(Mvd, pins.Find("BB22"));
    }

    [Fact]
    public void One_agency_may_register_the_same_certificate_twice()
    {
        var pins = AgencyCertificatePins.Build([(Mps, "AA11"), (Mps, "AA11")]);

        Assert.Equal(Mps, pins.Find("AA11"));
        Assert.Empty(pins.Ambiguous);
    }
}
