using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Bench.Cluster;

/// <summary>
/// ReferralService clients over a few HTTP/2 connections to each of several addresses, callers spread over them in
/// turn: caller i calls address i mod n, on that address's connection (i / n) mod the connections per address.
/// </summary>
public sealed class SpreadClients : IDisposable
{
    // HTTP/2 multiplexes, so a few connections per instance carry any number of callers, as the intake scenario's do.
    private const int ChannelsPerAddress = 4;

    private readonly GrpcChannel[] _channels;
    private readonly ReferralService.ReferralServiceClient[] _clients;
    private readonly int _addresses;

    public SpreadClients(IReadOnlyList<string> addresses)
    {
        _addresses = addresses.Count;
        _channels = [.. addresses.SelectMany(a => Enumerable.Range(0, ChannelsPerAddress).Select(_ => Program.OpenChannel(a)))];
        _clients = [.. _channels.Select(c => new ReferralService.ReferralServiceClient(c))];
    }

    public ReferralService.ReferralServiceClient For(int caller) =>
        _clients[(caller % _addresses * ChannelsPerAddress) + (caller / _addresses % ChannelsPerAddress)];

    /// <summary>The first client of each address, to check each once before it is measured.</summary>
    public IEnumerable<ReferralService.ReferralServiceClient> OnePerAddress => Enumerable.Range(0, _addresses).Select(For);

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
