using System.Security.Cryptography;
using Gateway.FunctionalTests.Cli;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Receipts;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Receipts;

/// <summary>
/// Receipts as an agency gets them over the wire from a development gateway (no key configured: it generated one beside
/// its store), checked with gatewayctl verify-receipt against the public keys the gateway published.
/// </summary>
public sealed class SignedReceiptTests(GatewayServer server) : IClassFixture<GatewayServer>, IDisposable
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    private readonly string _folder = Directory.CreateTempSubdirectory("receipts-").FullName;

    private string PublishedKeys => server.Services.GetRequiredService<ReceiptKeyring>().PublishedPath;

    [Fact]
    public async Task A_referral_receipt_from_the_wire_verifies_with_the_published_key()
    {
        var referral = Samples.Referral();

        var response = await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        var run = await Gatewayctl.RunAsync("verify-receipt", Write(response), "--key", PublishedKeys);

        Assert.Equal((0, string.Empty), (run.ExitCode, run.Error));
        Assert.StartsWith($"receipt VALID: message {referral.Header.MessageId} accepted at ", run.Output);
        var stored = await server.Store.FindMessageAsync(referral.Header.MessageId, default);
        Assert.Equal(stored!.ContentHash, response.Receipt.ContentHash.ToByteArray());
    }

    [Fact]
    public async Task A_resent_message_gets_the_same_signed_fields_and_its_receipt_verifies_too()
    {
        var request = Samples.LocationRequest("RU", "TH");
        var client = new FugitiveService.FugitiveServiceClient(server.Channel);

        var first = (await client.RequestLocationAsync(request, GatewayServer.As("CN/MPS"))).Receipt;
        var again = (await client.RequestLocationAsync(request, GatewayServer.As("CN/MPS"))).Receipt;

        Assert.Equal(first.SignedFields(), again.SignedFields());
        Assert.NotEqual(first.Signature, again.Signature);
        Assert.Equal(2, first.ResolvedRecipients.Count);
        Assert.Equal(0, (await Gatewayctl.RunAsync("verify-receipt", Write(first), "--key", PublishedKeys)).ExitCode);
        Assert.Equal(0, (await Gatewayctl.RunAsync("verify-receipt", Write(again), "--key", PublishedKeys)).ExitCode);
    }

    [Fact]
    public async Task A_case_update_acknowledgement_on_a_stream_carries_a_receipt_that_verifies()
    {
        var opening = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-7701");
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(opening, GatewayServer.As("AR/PFA"));

        using var call = new CaseUpdateService.CaseUpdateServiceClient(server.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
        await call.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", opening.Header.CaseReference));
        await call.RequestStream.CompleteAsync();
        var ack = Assert.Single(await call.ResponseStream.ReadAllAsync().ToListAsync());

        Assert.Equal(UpdateOutcome.Accepted, ack.Outcome);
        Assert.Equal(0, (await Gatewayctl.RunAsync("verify-receipt", Write(ack), "--key", PublishedKeys)).ExitCode);
    }

    [Fact]
    public async Task A_receipt_changed_after_signing_is_invalid_naming_the_failed_check()
    {
        var response = await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(Samples.Referral(), GatewayServer.As("CN/PLO-RU"));
        response.Receipt.AuditSequence -= 1;

        var run = await Gatewayctl.RunAsync("verify-receipt", Write(response), "--key", PublishedKeys);
        var json = await Gatewayctl.RunAsync("verify-receipt", Write(response), "--key", PublishedKeys, "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("receipt INVALID (signature): the signature does not match the signed fields", run.Output);
        Assert.Equal(1, json.ExitCode);
        Assert.Contains("\"valid\":false", json.Output);
        Assert.Contains("\"failedCheck\":\"signature\"", json.Output);
    }

    [Fact]
    public async Task Another_key_is_invalid_and_no_key_file_or_no_receipt_is_a_usage_error()
    {
        var response = await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(Samples.Referral(), GatewayServer.As("CN/PLO-RU"));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKey = Path.Combine(_folder, "other.pem");
        await File.WriteAllTextAsync(otherKey, other.ExportSubjectPublicKeyInfoPem());
        var notAKey = Path.Combine(_folder, "empty.pem");
        await File.WriteAllTextAsync(notAKey, "no key here");
        var receipt = Write(response);

        var wrongKey = await Gatewayctl.RunAsync("verify-receipt", receipt, "--key", otherKey);
        var noKey = await Gatewayctl.RunAsync("verify-receipt", receipt, "--key", notAKey);
        var missingKey = await Gatewayctl.RunAsync("verify-receipt", receipt, "--key", Path.Combine(_folder, "none.pem"));
        var missingReceipt = await Gatewayctl.RunAsync("verify-receipt", Path.Combine(_folder, "none.json"), "--key", PublishedKeys);
        var noOption = await Gatewayctl.RunAsync("verify-receipt", receipt);

        Assert.Equal(1, wrongKey.ExitCode);
        Assert.StartsWith("receipt INVALID (signing_key_id)", wrongKey.Output);
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("holds no PEM PUBLIC KEY", noKey.Error);
        Assert.Equal(2, missingKey.ExitCode);
        Assert.Equal(2, missingReceipt.ExitCode);
        Assert.Equal(2, noOption.ExitCode);
    }

    [Fact]
    public async Task The_published_file_is_a_public_key_only_and_the_generated_key_is_readable_by_its_owner_only()
    {
        var keys = server.Services.GetRequiredService<ReceiptKeyring>();
        var published = await File.ReadAllTextAsync(PublishedKeys);

        Assert.Contains("-----BEGIN PUBLIC KEY-----", published);
        Assert.DoesNotContain("PRIVATE", published);
        Assert.Contains(keys.Signer.KeyId, published);
        Assert.Equal(ReceiptOptions.GeneratedKeyFileName, Path.GetFileName(keys.SigningKeyPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.SigningKeyPath));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(IMessage response)
    {
        var path = Path.Combine(_folder, Guid.NewGuid() + ".json");
        File.WriteAllText(path, Json.Format(response));
        return path;
    }
}
