using System.Collections.Concurrent;
using System.Security.Authentication;
using System.Security.Cryptography;
using Gateway.Core.Agencies;
using Gateway.Delivery.Tls;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>
/// One channel per endpoint address: calls to an endpoint share its HTTP/2 connection. An https endpoint's channel
/// presents the gateway's client certificate and accepts only the endpoint certificate the directory registers (see
/// <see cref="EndpointCertificateCheck"/>). Its files are compared with those it was made with at most once a
/// <see cref="CheckInterval"/>; on a change a new channel takes the next calls, and the old one is disposed once the
/// calls under way on it are past their deadline.
/// </summary>
public sealed class EndpointClients(
    EndpointTlsFiles files,
    IAgencyDirectoryProvider directories,
    IOptions<DeliveryOptions> delivery,
    TimeProvider time,
    ILogger<EndpointClients> logger) : IDisposable
{
    /// <summary>How often an https endpoint's files are looked at: a replaced file takes effect within this.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Uri, EndpointChannel> _channels = new();
    private readonly ConcurrentDictionary<EndpointChannel, bool> _retired = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _replacing = new();

    public AgencyEndpointService.AgencyEndpointServiceClient For(Uri endpoint)
    {
        var channel = _channels.GetOrAdd(endpoint, Create);
        if (endpoint.Scheme != Uri.UriSchemeHttps || Environment.TickCount64 < channel.NextCheck)
        {
            return channel.Client;
        }

        lock (_replacing)
        {
            if (Environment.TickCount64 < channel.NextCheck || !ReferenceEquals(_channels.GetValueOrDefault(endpoint), channel))
            {
                return _channels.GetValueOrDefault(endpoint, channel).Client;
            }

            channel.NextCheck = Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds;
            var directory = directories.GetDirectory();
            var stamps = files.Stamps(endpoint, directory);
            if (stamps.SequenceEqual(channel.Stamps) || stamps.SequenceEqual(channel.UnreadableStamps ?? []))
            {
                return channel.Client;
            }

            EndpointTlsMaterial material;
            try
            {
                material = files.Load(endpoint, directory);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                // A file caught half-written (a certificate replaced before its key, say): the files in effect stay until
                // the new ones read whole. Said once for these files, not at every look.
                channel.UnreadableStamps = stamps;
                EndpointTlsLog.FilesUnreadable(logger, endpoint, error.Message);
                return channel.Client;
            }

            var next = new EndpointChannel(endpoint, material, stamps, time, logger);
            next.NextCheck = channel.NextCheck;
            _channels[endpoint] = next;
            EndpointTlsLog.FilesChanged(logger, endpoint);
            _ = RetireAsync(channel);
            return next.Client;
        }
    }

    /// <summary>
    /// The text a failed call leaves as its deliveries' last error: the status, and for a handshake that refused the
    /// endpoint's certificate, why.
    /// </summary>
    public string Failure(Uri endpoint, RpcException error)
    {
        var refusal = _channels.TryGetValue(endpoint, out var channel) ? channel.Refusal : null;
        return refusal is not null && HandshakeFailed(error)
            ? $"{error.StatusCode}: endpoint certificate refused: it {refusal}"
            : $"{error.StatusCode}";
    }

    public void Dispose()
    {
        _disposed.Cancel();
        foreach (var channel in _channels.Values.Concat(_retired.Keys))
        {
            channel.Dispose();
        }

        _disposed.Dispose();
    }

    private EndpointChannel Create(Uri endpoint)
    {
        if (endpoint.Scheme != Uri.UriSchemeHttps)
        {
            return new EndpointChannel(endpoint, null, [], time, logger);
        }

        var directory = directories.GetDirectory();
        var stamps = files.Stamps(endpoint, directory);
        EndpointTlsMaterial material;
        try
        {
            material = files.Load(endpoint, directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // Checked at start-up, so gone or broken since: nothing is sent until the files read (stamps empty: the next
            // look reads them again).
            EndpointTlsLog.FilesUnreadable(logger, endpoint, error.Message);
            material = new EndpointTlsMaterial(null, [], []) { Unusable = error.Message };
            stamps = [];
        }

        return new EndpointChannel(endpoint, material, stamps, time, logger)
        {
            NextCheck = Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds,
        };
    }

    /// <summary>Disposes a replaced channel once every call that may still run on it is past its deadline.</summary>
    private async Task RetireAsync(EndpointChannel channel)
    {
        _retired[channel] = true;
        try
        {
            await Task.Delay(delivery.Value.Timeout + CheckInterval, TimeProvider.System, _disposed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (_retired.TryRemove(channel, out _))
        {
            channel.Dispose();
        }
    }

    private static bool HandshakeFailed(RpcException error)
    {
        for (var inner = error.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }
}
