using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>A gateway with its limits set low, so that each can be seen to hold over the wire.</summary>
public sealed class LimitedGatewayServer : IAsyncLifetime
{
    public const int ReferralMaxMessageBytes = 8 * 1024;
    public const int MaxStreamsPerConnection = 3;
    public const int HeaderTableBytes = 2048;
    public const int MaxFrameBytes = 32 * 1024;

    public GatewayServer Server { get; } = new()
    {
        ExtraArguments =
        [
            $"--Gateway:Limits:ReferralMaxMessageBytes={ReferralMaxMessageBytes}",
            $"--Gateway:Limits:MaxStreamsPerConnection={MaxStreamsPerConnection}",
            $"--Gateway:Limits:HeaderTableBytes={HeaderTableBytes}",
            $"--Gateway:Limits:MaxFrameBytes={MaxFrameBytes}",
        ],
    };

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}

public class LimitsTests(LimitedGatewayServer limited) : IClassFixture<LimitedGatewayServer>
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private GatewayServer Server => limited.Server;

    [Fact]
    public async Task A_message_over_its_services_limit_is_resource_exhausted_and_one_under_it_is_accepted()
    {
        var request = Samples.Referral();
        Assert.True(request.CalculateSize() < LimitedGatewayServer.ReferralMaxMessageBytes);
        var client = new ReferralService.ReferralServiceClient(Server.Channel);

        await client.SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender));

        var oversized = Samples.Referral();
        oversized.Referral.Subjects[0].Description = new string('x', 1000);
        oversized.Referral.Subjects.Add(Enumerable.Range(0, 8).Select(_ => oversized.Referral.Subjects[0].Clone()));
        Assert.True(oversized.CalculateSize() > LimitedGatewayServer.ReferralMaxMessageBytes);
        await StatusAssert.RefusedByTransport(
            () => client.SubmitReferralAsync(oversized, GatewayServer.As(oversized.Header.Sender)).ResponseAsync, StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task The_limit_is_per_service()
    {
        // Bytes that decode as no message: over the referral limit they are refused for their size, under the
        // fugitive service's own (default) limit they reach decoding, and are refused for that.
        var payload = new byte[LimitedGatewayServer.ReferralMaxMessageBytes + 1];
        payload.AsSpan().Fill(0xFF);

        await StatusAssert.RefusedByTransport(() => CallRaw("interagency.v1.ReferralService", "SubmitReferral", payload), StatusCode.ResourceExhausted);
        var fugitive = await Assert.ThrowsAsync<RpcException>(() => CallRaw("interagency.v1.FugitiveService", "RequestLocation", payload));
        Assert.Equal(StatusCode.InvalidArgument, fugitive.StatusCode);
    }

    [Fact]
    public async Task Kestrel_announces_the_configured_http2_limits_in_its_settings()
    {
        var address = new Uri(Server.Address);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();

        // The client connection preface and an empty SETTINGS frame (RFC 9113 3.4); the server answers with its own.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        await stream.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
        var header = new byte[9];
        await stream.ReadExactlyAsync(header);
        Assert.Equal(4, header[3]);
        var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
        await stream.ReadExactlyAsync(payload);

        var settings = Enumerable.Range(0, payload.Length / 6).ToDictionary(
            i => BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i * 6)),
            i => BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan((i * 6) + 2)));
        Assert.Equal((uint)LimitedGatewayServer.HeaderTableBytes, settings[0x1]);
        Assert.Equal((uint)LimitedGatewayServer.MaxStreamsPerConnection, settings[0x3]);
        Assert.Equal((uint)LimitedGatewayServer.MaxFrameBytes, settings[0x5]);
    }

    private Task<byte[]> CallRaw(string service, string method, byte[] payload) =>
        Server.Channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, service, method, Raw, Raw),
            null,
            new CallOptions(GatewayServer.As("CN/PLO-RU")),
            payload).ResponseAsync;
}
