using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Streams;

/// <summary>
/// A stopping gateway keeps the connection of a publisher it told UNAVAILABLE open until the publisher has ended its
/// side of the stream: .NET's client loses a status it received if the connection closes before it has read it.
/// Raw HTTP/2, so that the test holds the request open after the trailers have arrived, as a client reading slowly would.
/// </summary>
public sealed class ShutdownWaitsForPublisherTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_stopping_gateway_closes_a_publishers_connection_only_after_the_publisher_ended_its_stream()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0800");
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        using var http = new HttpClient { BaseAddress = new Uri(_server.Address) };
        var body = new HeldOpenContent(Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference).ToByteArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/interagency.v1.CaseUpdateService/PublishUpdates")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Add("x-liaison-agency", "AR/PFA");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var answer = await response.Content.ReadAsStreamAsync();
        var header = new byte[5];
        await answer.ReadExactlyAsync(header);
        var ack = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await answer.ReadExactlyAsync(ack);
        Assert.Equal(UpdateOutcome.Accepted, PublishUpdatesResponse.Parser.ParseFrom(ack).Outcome);

        var stopping = _server.StopAsync();

        // The status arrives while the publisher still holds its request open; the gateway must not finish stopping
        // (close the connection) before the publisher ends it. Before, it stopped within milliseconds of the status.
        Assert.Equal(0, await answer.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(((int)StatusCode.Unavailable).ToString(System.Globalization.CultureInfo.InvariantCulture), response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.NotSame(stopping, await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(1))));

        body.End();
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>A gRPC request body of one message, held open until <see cref="End"/>.</summary>
    private sealed class HeldOpenContent : HttpContent
    {
        private readonly byte[] _message;
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldOpenContent(byte[] message)
        {
            _message = message;
            Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        }

        public void End() => _ended.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var frame = new byte[5 + _message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)_message.Length);
            _message.CopyTo(frame, 5);
            await stream.WriteAsync(frame);
            await stream.FlushAsync();
            await _ended.Task;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
