using System.Collections.Concurrent;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Delivery;

/// <summary>One channel per endpoint address, kept for the gateway's life: calls to an endpoint share its HTTP/2 connection.</summary>
public sealed class EndpointClients : IDisposable
{
    private readonly ConcurrentDictionary<Uri, (GrpcChannel Channel, AgencyEndpointService.AgencyEndpointServiceClient Client)> _clients = new();

    public AgencyEndpointService.AgencyEndpointServiceClient For(Uri endpoint) =>
        _clients.GetOrAdd(endpoint, static address =>
        {
            var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                },
            });
            return (channel, new AgencyEndpointService.AgencyEndpointServiceClient(channel));
        }).Client;

    public void Dispose()
    {
        foreach (var (channel, _) in _clients.Values)
        {
            channel.Dispose();
        }
    }
}
