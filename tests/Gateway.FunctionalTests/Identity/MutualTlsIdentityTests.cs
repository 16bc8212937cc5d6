using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Identity;

/// <summary>
/// Agencies by mutual TLS over real TLS sockets: each kind of wrong client certificate is refused UNAUTHENTICATED with
/// its own reason and audited once with what could be read of the certificate; a registered one is its agency.
/// </summary>
public sealed class MutualTlsIdentityTests(MutualTlsGateway gateway) : IClassFixture<MutualTlsGateway>
{
    public static TheoryData<string> Faults => ["missing", "self-signed", "another CA", "expired", "not yet valid", "revoked", "wrong usage", "unregistered"];

    [Fact]
    public async Task A_registered_agency_certificate_is_its_agency_end_to_end()
    {
        var request = Samples.Referral(sender: "CN/PLO-RU");

        var receipt = await new ReferralService.ReferralServiceClient(gateway.ChannelFor("CN/PLO-RU")).SubmitReferralAsync(request);

        Assert.Equal(request.Header.MessageId, receipt.Receipt.MessageId);
        var accepted = await gateway.Server.Store.ReadAuditAsync(default).SingleAsync(a => a.MessageId == request.Header.MessageId);
        Assert.Equal("CN/PLO-RU", accepted.Actor);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_wrong_client_certificate_is_refused_with_its_reason_and_audited_once_with_what_it_says(string fault)
    {
        var (certificate, reason) = Case(fault);
        var request = Samples.Referral(sender: "CN/PLO-RU");
        var before = await gateway.Server.Store.ReadAuditAsync(default).CountAsync();

        var status = await StatusAssert.Refused(
            () => new ReferralService.ReferralServiceClient(gateway.Channel(certificate)).SubmitReferralAsync(request).ResponseAsync,
            StatusCode.Unauthenticated);

        Assert.Equal(reason.ToUpperInvariant(), status.GetDetail<ErrorInfo>().Reason);
        var entry = Assert.Single(await gateway.Server.Store.ReadAuditAsync(default).Skip(before).ToListAsync());
        Assert.Equal((AuditKinds.IntakeRefused, "unauthenticated", reason), (entry.Kind, entry.Actor, entry.Details.Reason));
        Assert.Equal(request.Header.MessageId, entry.MessageId);
        if (certificate is null)
        {
            Assert.Null(entry.Details.Certificate);
            return;
        }

        var audited = Assert.IsType<AuditCertificate>(entry.Details.Certificate);
        Assert.Equal(certificate.Subject, audited.Subject);
        Assert.Equal(certificate.Issuer, audited.Issuer);
        Assert.Equal(certificate.SerialNumber, audited.Serial);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), audited.Sha256);
        Assert.Equal(certificate.NotBefore.ToUniversalTime(), audited.NotBefore.UtcDateTime);
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), audited.NotAfter.UtcDateTime);
    }

    [Fact]
    public async Task A_registered_agency_sending_as_another_agency_is_denied_and_audited_under_its_own_name_whatever_header_it_sends()
    {
        var request = Samples.Referral(sender: "CN/PLO-RU");
        var before = await gateway.Server.Store.ReadAuditAsync(default).CountAsync();

        // The development header names the sender: in mutual TLS only the certificate says who calls.
        await StatusAssert.Refused(
            () => new ReferralService.ReferralServiceClient(gateway.ChannelFor("CN/MPS")).SubmitReferralAsync(request, GatewayServer.As("CN/PLO-RU")).ResponseAsync,
            StatusCode.PermissionDenied,
            "header.sender");

        var entry = Assert.Single(await gateway.Server.Store.ReadAuditAsync(default).Skip(before).ToListAsync());
        Assert.Equal(("CN/MPS", "sender_not_caller", nameof(StatusCode.PermissionDenied)), (entry.Actor, entry.Details.Reason, entry.Details.Code));
        Assert.Null(entry.Details.Certificate);
    }

    [Fact]
    public async Task An_operator_connects_without_a_client_certificate_and_meets_the_operator_check_not_the_agency_one()
    {
        var operations = new OperationsService.OperationsServiceClient(gateway.Channel(null));
        var token = gateway.Operators.Mint("duty-officer-1", ["duty-operator"]);

        await operations.ListDeadLettersAsync(new(), new Metadata { { "authorization", "Bearer " + token } });
        var status = await StatusAssert.Refused(() => operations.ListDeadLettersAsync(new()).ResponseAsync, StatusCode.Unauthenticated);

        Assert.Equal("OPERATOR_TOKEN_MISSING", status.GetDetail<ErrorInfo>().Reason);
    }

    private (X509Certificate2? Certificate, string Reason) Case(string fault)
    {
        var now = DateTimeOffset.UtcNow;
        switch (fault)
        {
            case "missing":
                return (null, "certificate_missing");
            case "self-signed":
                return (TestPki.SelfSignedClient("CN/PLO-RU"), "certificate_untrusted");
            case "another CA":
                using (var other = TestPki.CreateAuthority("Another Agency CA"))
                {
                    return (other.IssueClient("CN/PLO-RU"), "certificate_untrusted");
                }

            case "expired":
                return (gateway.Pki.IssueClient("CN/PLO-RU", now.AddDays(-20), now.AddDays(-1)), "certificate_expired");
            case "not yet valid":
                return (gateway.Pki.IssueClient("CN/PLO-RU", now.AddDays(1), now.AddDays(20)), "certificate_not_yet_valid");
            case "revoked":
                return (gateway.RevokedCertificate, "certificate_revoked");
            case "wrong usage":
                return (gateway.Pki.IssueClient("CN/PLO-RU", usage: TestPki.EmailProtection), "certificate_usage");
            case "unregistered":
                return (gateway.Pki.IssueClient("CN/PLO-RU"), "certificate_unregistered");
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }
}
