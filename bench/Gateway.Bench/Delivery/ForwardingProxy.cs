using Gateway.Tests.Shared;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Bench.Delivery;

/// <summary>
/// The baseline the durable path is held against: a plain forwarding proxy in this process (Kestrel on 127.0.0.1,
/// HTTP/2) whose SubmitReferral calls the recipient endpoint's Deliver with Grpc.Net.Client and answers once the
/// endpoint has answered. No storage, no validation, no audit: what forwarding costs when nothing is kept.
/// </summary>
public sealed class ForwardingProxy : IAsyncDisposable
{
    private readonly LoopbackGrpcServer _server;
    private readonly ForwardingTargets _targets;

    private ForwardingProxy(LoopbackGrpcServer server, ForwardingTargets targets) => (_server, _targets) = (server, targets);

    public string Address => _server.Address;

    /// <param name="endpoints">Recipient agency to the address of its endpoint.</param>
    public static async Task<ForwardingProxy> StartAsync(IReadOnlyDictionary<string, string> endpoints)
    {
        var targets = new ForwardingTargets(endpoints);
        return new ForwardingProxy(await LoopbackGrpcServer.StartAsync<ForwardingReferralService>(s => s.AddSingleton(targets)), targets);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _targets.Dispose();
    }
}

/// <summary>One channel per endpoint, set up as the gateway's own endpoint clients are (several HTTP/2 connections allowed).</summary>
public sealed class ForwardingTargets : IDisposable
{
    private readonly Dictionary<string, (GrpcChannel Channel, AgencyEndpointService.AgencyEndpointServiceClient Client)> _clients;
    private long _nextDeliveryId;

    public ForwardingTargets(IReadOnlyDictionary<string, string> endpoints) =>
        _clients = endpoints.ToDictionary(e => e.Key, e =>
        {
            var channel = GrpcChannel.ForAddress(e.Value, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                },
            });
            return (channel, new AgencyEndpointService.AgencyEndpointServiceClient(channel));
        }, StringComparer.Ordinal);

    public AgencyEndpointService.AgencyEndpointServiceClient For(string recipient) =>
        _clients.TryGetValue(recipient, out var client)
            ? client.Client
            : throw new RpcException(new Status(Grpc.Core.StatusCode.NotFound, "The proxy forwards only to the bench's endpoints."));

    public string NextDeliveryId() => Interlocked.Increment(ref _nextDeliveryId).ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var (channel, _) in _clients.Values)
        {
            channel.Dispose();
        }
    }
}

/// <summary>SubmitReferral forwarded synchronously: one Deliver per referral, to its first recipient.</summary>
public sealed class ForwardingReferralService(ForwardingTargets targets) : ReferralService.ReferralServiceBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public override async Task<SubmitReferralResponse> SubmitReferral(SubmitReferralRequest request, ServerCallContext context)
    {
        var recipient = request.Header.Recipients[0];
        var delivery = new DeliverRequest
        {
            DeliveryId = targets.NextDeliveryId(),
            Attempt = 1,
            Header = request.Header,
            Recipient = recipient,
            Referral = request.Referral,
        };
        await targets.For(recipient).DeliverAsync(delivery, deadline: DateTime.UtcNow + Timeout, cancellationToken: context.CancellationToken);
        return new SubmitReferralResponse
        {
            Receipt = new Receipt
            {
                MessageId = request.Header.MessageId,
                ResolvedRecipients = { recipient },
                AcceptedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                State = MessageState.Accepted,
            },
        };
    }
}
