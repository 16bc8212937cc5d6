using System.Security.Cryptography.X509Certificates;
using Gateway.Tests.Shared;
using Xunit;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>The test PKI the identity tests build on issues what it says it issues.</summary>
public sealed class TestPkiTests
{
    [Fact]
    public void Issued_certificates_chain_to_the_authority_and_carry_the_usage_asked_for()
    {
        using var pki = TestPki.CreateAuthority();
        using var client = pki.IssueClient("RU/MVD");
        using var server = pki.IssueServer("gateway");

        Assert.True(Chain(pki, client).Build(client));
        Assert.True(Chain(pki, server).Build(server));
        Assert.Equal(TestPki.ClientAuth, Usage(client));
        Assert.Equal(TestPki.ServerAuth, Usage(server));
        Assert.True(client.HasPrivateKey);
    }

    [Fact]
    public void An_expired_certificate_does_not_chain_as_time_valid()
    {
        using var pki = TestPki.CreateAuthority();
        using var expired = pki.IssueClient("RU/MVD", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        using var chain = Chain(pki, expired);

        Assert.False(chain.Build(expired));
        Assert.Contains(chain.ChainStatus, s => s.Status == X509ChainStatusFlags.NotTimeValid);
    }

    [Fact]
    public void The_crl_lists_exactly_the_revoked_certificates()
    {
        using var pki = TestPki.CreateAuthority();
        using var revoked = pki.IssueClient("RU/MVD");
        using var kept = pki.IssueClient("US/FBI");
        pki.Revoke(revoked);

        var crl = CertificateRevocationListBuilder.Load(pki.CreateCrl(), out _);

        Assert.True(crl.RemoveEntry(revoked.SerialNumberBytes.Span));
        Assert.False(crl.RemoveEntry(kept.SerialNumberBytes.Span));
    }

    private static X509Chain Chain(TestPki pki, X509Certificate2 certificate)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pki.Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain;
    }

    private static string? Usage(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value;
}
