using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.FunctionalTests.Demo;

/// <summary>
/// <c>gatewayctl demo --production</c>: the same three situations, played against a gateway it started in production
/// mode with the test PKI certs init makes, which believes no development header: an agency is who its client
/// certificate says, an operator who a signed token says.
/// </summary>
public sealed partial class ProductionDemoTests
{
    [Fact]
    public async Task With_production_it_plays_the_same_situations_against_a_gateway_that_refuses_the_development_identity_and_leaves_nothing_running()
    {
        await using var demo = DemoRun.Start(arguments: ["--production"]);
        var gateway = (await demo.WaitForLineAsync(GatewayListening())).Groups["address"].Value;
        var folder = demo.Folder;

        // The demo is paused (its gateway and PartnerSims run on) while the test asks its gateway, over TLS that trusts
        // only the CA in the demo's folder, as the development demo would: a header naming the agency, no certificate,
        // and the operator's header instead of a token.
        await demo.SignalAsync("STOP");
        try
        {
            using var channel = ChannelTrustingOnly(gateway, Path.Combine(folder, "certs", "agency-ca.pem"));
            var referral = Samples.Referral();
            var agency = await StatusAssert.Refused(
                () => new ReferralService.ReferralServiceClient(channel).SubmitReferralAsync(referral, GatewayServer.As(referral.Header.Sender)).ResponseAsync,
                StatusCode.Unauthenticated);
            var trace = await StatusAssert.Refused(
                () => new TraceService.TraceServiceClient(channel).GetMessageTraceAsync(
                    new GetMessageTraceRequest { MessageId = referral.Header.MessageId }, new Metadata { { "x-liaison-operator", "demo" } }).ResponseAsync,
                StatusCode.Unauthenticated);
            Assert.Equal(("CERTIFICATE_MISSING", "OPERATOR_TOKEN_MISSING"), (agency.GetDetail<ErrorInfo>().Reason, trace.GetDetail<ErrorInfo>().Reason));
        }
        finally
        {
            await demo.SignalAsync("CONT");
        }

        var exitCode = await demo.WaitForExitAsync();

        Assert.True(exitCode == 0, $"The demo exited with {exitCode}:\n{demo.Output}");
        Assert.StartsWith("Production mode: mutual TLS (each agency calls with its own client certificate), operators by signed token (subject demo)", demo.Lines[0], StringComparison.Ordinal);
        DemoExpectations.AssertPlayedAsExpected(demo);
        DemoExpectations.AssertLeftNothingBehind(folder);
    }

    /// <summary>A channel without a client certificate that accepts only a server certificate issued by <paramref name="authority"/>.</summary>
    private static GrpcChannel ChannelTrustingOnly(string address, string authority)
    {
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(authority);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is X509Certificate2 server && chain.Build(server);
                },
            },
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    [GeneratedRegex(@"^Gateway listening on (?<address>https://\S+),")]
    private static partial Regex GatewayListening();
}
