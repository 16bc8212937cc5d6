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
/// A publishing stream whose next update cannot be read still acknowledges every update committed before it. Sent with
/// raw HTTP/2, so that the good updates and the bad one arrive in one write: the gateway then reads the bad one while
/// the good ones are still being committed.
/// </summary>
public sealed class PublishReadFailureTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private const string Path = "/interagency.v1.CaseUpdateService/PublishUpdates";

    /// <summary>An invalid protobuf tag: the message cannot be decoded.</summary>
    private static readonly byte[] Undecodable = [0xFF, 0xFF, 0xFF, 0xFF];

    [Fact]
    public async Task Updates_read_before_an_undecodable_one_in_the_same_write_are_acknowledged_before_invalid_argument()
    {
        var referral = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-0600");
        await new ReferralService.ReferralServiceClient(server.Channel).SubmitReferralAsync(referral, GatewayServer.As("AR/PFA"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Address) };

        // Whether the commits beat the end of the call is a race, so it is run in rounds; before the fix, none of twenty
        // rounds got its three acknowledgements.
        for (var round = 0; round < 20; round++)
        {
            var updates = Enumerable.Range(0, 3).Select(_ => Samples.StatusUpdate("AR/PFA", referral.Header.CaseReference)).ToList();

            var (acks, status) = await PublishInOneWriteAsync(http, [.. updates.Select(u => u.ToByteArray()), Undecodable])
                .WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(updates.Select(u => u.Header.MessageId), acks.Select(a => a.MessageId));
            Assert.All(acks, a => Assert.Equal(UpdateOutcome.Accepted, a.Outcome));
            Assert.Equal(StatusCode.InvalidArgument, status);
        }
    }

    /// <summary>Sends the messages as one gRPC request body, in a single write, and returns the acknowledgements and the final status.</summary>
    private static async Task<(List<PublishUpdatesResponse> Acks, StatusCode Status)> PublishInOneWriteAsync(HttpClient http, IReadOnlyList<byte[]> messages)
    {
        var body = new byte[messages.Sum(m => 5 + m.Length)];
        var at = 0;
        foreach (var message in messages)
        {
            body[at] = 0; // Not compressed.
            BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(at + 1), (uint)message.Length);
            message.CopyTo(body, at + 5);
            at += 5 + message.Length;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Add("x-liaison-agency", "AR/PFA");

        using var response = await http.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        var acks = new List<PublishUpdatesResponse>();
        for (var offset = 0; offset < answer.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(answer.AsSpan(offset + 1));
            acks.Add(PublishUpdatesResponse.Parser.ParseFrom(answer, offset + 5, length));
            offset += 5 + length;
        }

        // A trailers-only response carries its status in the headers.
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer : response.Headers.GetValues("grpc-status");
        return (acks, (StatusCode)int.Parse(status.Single(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
