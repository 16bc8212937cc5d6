using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Identity;

namespace Gateway.Core.Tests.Identity;

public sealed class CertificateFaultsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearAgo = Now.AddYears(-1);
    private static readonly DateTimeOffset YearOn = Now.AddYears(1);

    [Theory]
    [InlineData(X509ChainStatusFlags.UntrustedRoot)]
    [InlineData(X509ChainStatusFlags.PartialChain)]
    [InlineData(X509ChainStatusFlags.NotSignatureValid)]
    [InlineData(X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotValidForUsage)]
    [InlineData(X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotTimeValid)]
    [InlineData(X509ChainStatusFlags.NoError)]
    public void A_chain_to_no_anchor_is_untrusted_whatever_else_it_says(X509ChainStatusFlags flags)
    {
        Assert.Equal(CertificateFault.Untrusted, CertificateFaults.FromChain(flags, YearAgo, YearOn, Now));
    }

    [Fact]
    public void A_trusted_chain_out_of_time_is_expired_past_its_end_and_not_yet_valid_before_its_start()
    {
        var flags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotValidForUsage;

        Assert.Equal(CertificateFault.Expired, CertificateFaults.FromChain(flags, YearAgo, Now.AddDays(-1), Now));
        Assert.Equal(CertificateFault.NotYetValid, CertificateFaults.FromChain(flags, Now.AddDays(1), YearOn, Now));
    }

    [Fact]
    public void A_trusted_chain_in_time_that_fails_its_usage_is_a_usage_fault()
    {
        Assert.Equal(CertificateFault.Usage, CertificateFaults.FromChain(X509ChainStatusFlags.NotValidForUsage, YearAgo, YearOn, Now));
    }

    [Fact]
    public void Every_fault_has_its_own_reason_code()
    {
        var codes = Enum.GetValues<CertificateFault>().Select(f => f.ReasonCode()).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.StartsWith("certificate_", c, StringComparison.Ordinal));
    }
}
