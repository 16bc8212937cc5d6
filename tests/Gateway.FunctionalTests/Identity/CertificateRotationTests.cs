using System.Security.Cryptography.X509Certificates;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Streams;
using Microsoft.Extensions.Logging;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Interagency.V1;

namespace Gateway.FunctionalTests.Identity;

/// <summary>
/// Certificates replaced on disk while a partner's PublishUpdates stream stays open: the gateway's certificate, an
/// agency's registered certificate and the CRL. New handshakes see each change within seconds; the open stream is not
/// dropped and still has its updates acknowledged.
/// </summary>
public sealed class CertificateRotationTests : IAsyncLifetime
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    private readonly LogWatcher _logs = new();
    private readonly MutualTlsGateway _gateway;

    public CertificateRotationTests() => _gateway = new MutualTlsGateway { Configure = builder => builder.Logging.AddProvider(_logs) };

    public Task InitializeAsync() => _gateway.InitializeAsync();

    public Task DisposeAsync() => _gateway.DisposeAsync();

    [Fact]
    public async Task Replaced_certificates_and_crl_apply_to_new_handshakes_while_an_open_stream_keeps_working()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0777");
        var partner = _gateway.ChannelFor("AR/PFA");
        await new ReferralService.ReferralServiceClient(partner).SubmitReferralAsync(referral);
        using var stream = new CaseUpdateService.CaseUpdateServiceClient(partner).PublishUpdates();
        var acks = stream.ResponseStream;
        await stream.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference));
        Assert.True(await acks.MoveNext());
        Assert.Equal(UpdateOutcome.Accepted, acks.Current.Outcome);

        var renewedServer = _gateway.RenewServerCertificate();
        await MutualTlsGateway.UntilAsync(
            async () => (await PresentedServerCertificateAsync()).RawData.AsSpan().SequenceEqual(renewedServer.RawData),
            "a new handshake to present the renewed server certificate");

        var oldMps = _gateway.ClientCertificate("CN/MPS");
        var renewedMps = _gateway.RenewClientCertificate("CN/MPS");
        await MutualTlsGateway.UntilAsync(async () => await ReasonAsync(renewedMps) is null, "the renewed CN/MPS certificate to be accepted");
        Assert.Equal("CERTIFICATE_UNREGISTERED", await ReasonAsync(oldMps));

        var fbi = _gateway.ClientCertificate("US/FBI");
        Assert.Null(await ReasonAsync(fbi));
        _gateway.Revoke(fbi);
        await MutualTlsGateway.UntilAsync(async () => await ReasonAsync(fbi) == "CERTIFICATE_REVOKED", "the US/FBI certificate to be refused as revoked");

        var after = Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference);
        await stream.RequestStream.WriteAsync(after);
        Assert.True(await acks.MoveNext());
        Assert.Equal((after.Header.MessageId, UpdateOutcome.Accepted), (acks.Current.MessageId, acks.Current.Outcome));
        await stream.RequestStream.CompleteAsync();
        Assert.False(await acks.MoveNext());
    }

    [Fact]
    public async Task A_trust_anchor_added_on_disk_vouches_for_new_handshakes()
    {
        using var second = TestPki.CreateAuthority("Second Agency CA");
        var certificate = second.IssueClient("US/FBI");
        Replace(_gateway.RegisteredPath("US/FBI"), path => TestPki.Write(certificate, path));
        await MutualTlsGateway.UntilAsync(async () => await ReasonAsync(certificate) == "CERTIFICATE_UNTRUSTED", "the new CA's certificate to be registered, not yet trusted");

        Replace(_gateway.AnchorPath, path => File.WriteAllText(path, _gateway.Pki.Authority.ExportCertificatePem() + "\n" + second.Authority.ExportCertificatePem()));

        await MutualTlsGateway.UntilAsync(async () => await ReasonAsync(certificate) is null, "the added anchor to vouch for the US/FBI certificate");
        Assert.Null(await ReasonAsync(_gateway.ClientCertificate("CN/MPS")));
    }

    [Fact]
    public async Task A_replaced_server_certificate_that_does_not_read_leaves_the_last_good_one_in_use()
    {
        var kept = _logs.WaitForAsync(9003, ReloadTimeout);

        File.WriteAllText(_gateway.ServerCertificatePath, "not a certificate");

        await kept;
        Assert.Equal(_gateway.ServerCertificate.RawData, (await PresentedServerCertificateAsync()).RawData);
    }

    [Fact]
    public async Task A_renewed_server_certificate_written_before_its_key_waits_for_the_key()
    {
        var renewed = _gateway.Pki.IssueServer("Liaison Gateway (renewed)");
        var staged = Path.Combine(Path.GetDirectoryName(_gateway.ServerCertificatePath)!, "renewed");
        TestPki.Write(renewed, staged + ".pem", staged + ".key");
        var kept = _logs.WaitForAsync(9003, ReloadTimeout);

        File.Move(staged + ".pem", _gateway.ServerCertificatePath, overwrite: true);

        await kept;
        Assert.Equal(_gateway.ServerCertificate.RawData, (await PresentedServerCertificateAsync()).RawData);
        File.Move(staged + ".key", _gateway.ServerKeyPath, overwrite: true);
        await MutualTlsGateway.UntilAsync(
            async () => (await PresentedServerCertificateAsync()).RawData.AsSpan().SequenceEqual(renewed.RawData),
            "the renewed certificate once its key is in place");
    }

    [Fact]
    public async Task A_replaced_crl_that_does_not_read_leaves_its_revocations_in_force()
    {
        var kept = _logs.WaitForAsync(9005, ReloadTimeout);

        File.WriteAllText(_gateway.CrlPath, "not a CRL");

        await kept;
        Assert.Equal("CERTIFICATE_REVOKED", await ReasonAsync(_gateway.RevokedCertificate));
    }

    private static void Replace(string path, Action<string> write)
    {
        write(path + ".staged");
        File.Move(path + ".staged", path, overwrite: true);
    }

    /// <summary>The certificate the gateway presents to a new connection (one without a client certificate: health is open to probes).</summary>
    private async Task<X509Certificate2> PresentedServerCertificateAsync()
    {
        X509Certificate2? presented = null;
        using var channel = _gateway.Channel(null, certificate => presented = certificate);
        await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        return presented!;
    }

    /// <summary>
    /// On a new connection presenting <paramref name="certificate"/>: null when the gateway identified an agency (a trace
    /// of an unknown message, answered NOT_FOUND, comes after identity), else the reason it was refused.
    /// </summary>
    private async Task<string?> ReasonAsync(X509Certificate2 certificate)
    {
        using var channel = _gateway.Channel(certificate);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TraceService.TraceServiceClient(channel).GetMessageTraceAsync(new GetMessageTraceRequest { MessageId = Guid.NewGuid().ToString() }).ResponseAsync);
        return error.StatusCode == StatusCode.NotFound ? null : error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason;
    }
}
