using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Delivery.Tls;
using Gateway.Tests.Shared;

namespace Gateway.FunctionalTests.Delivery.Tls;

/// <summary>The rule an endpoint's server certificate passes before anything is sent to it, as a plain function.</summary>
public sealed class EndpointCertificateCheckTests : IDisposable
{
    private const string Agency = "CN/FJPSD";
    private readonly TestPki _pki = TestPki.CreateAuthority();
    private readonly TestPki _otherPki = TestPki.CreateAuthority("Another CA");

    [Fact]
    public void The_registered_certificate_chaining_to_an_anchor_is_accepted()
    {
        using var endpoint = _pki.IssueServer("endpoint");

        Assert.Null(Check(endpoint, Material(endpoint)));
    }

    [Fact]
    public void Another_certificate_of_the_same_authority_is_refused_naming_the_agency_and_both_hashes()
    {
        using var registered = _pki.IssueServer("endpoint");
        using var presented = _pki.IssueServer("impostor");

        var problem = Check(presented, Material(registered));

        Assert.NotNull(problem);
        Assert.StartsWith($"is not the one registered for {Agency}", problem, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(presented.GetCertHash(HashAlgorithmName.SHA256)), problem, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(registered.GetCertHash(HashAlgorithmName.SHA256)), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_agency_sharing_the_endpoint_must_register_the_presented_certificate()
    {
        using var presented = _pki.IssueServer("endpoint");
        using var other = _pki.IssueServer("other");
        var material = new EndpointTlsMaterial(null, [_pki.Authority], [Registered(Agency, presented), Registered("CN/MPS", other)]);

        Assert.StartsWith("is not the one registered for CN/MPS", Check(presented, material), StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_of_another_authority_is_refused_even_when_registered()
    {
        using var presented = _otherPki.IssueServer("endpoint");

        Assert.Equal("does not chain to an endpoint trust anchor", Check(presented, Material(presented)));
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        using var presented = _pki.IssueServer("endpoint", now.AddDays(-10), now.AddDays(-1));

        Assert.StartsWith("is outside its validity", Check(presented, Material(presented)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_not_for_server_authentication_is_refused()
    {
        using var presented = _pki.IssueClient("endpoint");

        Assert.Equal("is not for server authentication", Check(presented, Material(presented)));
    }

    [Fact]
    public void A_certificate_for_another_host_is_refused()
    {
        using var presented = _pki.IssueServer("endpoint");

        Assert.Equal("does not name the endpoint's host", Check(presented, Material(presented), SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void An_unreadable_registered_file_refuses_every_certificate()
    {
        using var presented = _pki.IssueServer("endpoint");
        var material = new EndpointTlsMaterial(null, [_pki.Authority], [RegisteredCertificate.Read(Agency, "/nonexistent/endpoint.pem")]);

        Assert.StartsWith($"cannot be compared: the certificate registered for {Agency}", Check(presented, material), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_anchors_the_machine_trust_decides_and_the_pin_still_holds()
    {
        using var presented = _pki.IssueServer("endpoint");
        using var registered = _pki.IssueServer("registered");
        var untrusted = new EndpointTlsMaterial(null, [], [Registered(Agency, presented)]);
        var pinned = new EndpointTlsMaterial(null, [], [Registered(Agency, registered)]);

        Assert.StartsWith("is not trusted by this machine", Check(presented, untrusted, SslPolicyErrors.RemoteCertificateChainErrors), StringComparison.Ordinal);
        Assert.StartsWith("is not the one registered", Check(presented, pinned, SslPolicyErrors.None), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _pki.Dispose();
        _otherPki.Dispose();
    }

    private static string? Check(X509Certificate2 presented, EndpointTlsMaterial material, SslPolicyErrors errors = SslPolicyErrors.RemoteCertificateChainErrors) =>
        EndpointCertificateCheck.Problem(presented, [], errors, material, DateTimeOffset.UtcNow);

    private EndpointTlsMaterial Material(X509Certificate2 registered) => new(null, [_pki.Authority], [Registered(Agency, registered)]);

    private static RegisteredCertificate Registered(string agency, X509Certificate2 certificate) =>
        new(agency, $"{agency}.pem", certificate.GetCertHash(HashAlgorithmName.SHA256), null);
}
