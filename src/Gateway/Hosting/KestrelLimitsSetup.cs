using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>Applies <see cref="ServerLimits"/> to Kestrel (keepalive: <see cref="Streams.KestrelKeepAliveSetup"/>).</summary>
public sealed class KestrelLimitsSetup(IOptions<ServerLimits> limits) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var settings = limits.Value;
        options.Limits.Http2.MaxStreamsPerConnection = settings.MaxStreamsPerConnection;
        options.Limits.MaxRequestHeadersTotalSize = settings.MaxRequestHeadersTotalBytes;
        options.Limits.Http2.HeaderTableSize = settings.HeaderTableBytes;
        options.Limits.Http2.MaxFrameSize = settings.MaxFrameBytes;
        options.Limits.RequestHeadersTimeout = settings.RequestHeadersTimeout;
        options.Limits.MinRequestBodyDataRate = new MinDataRate(settings.MinRequestBodyBytesPerSecond, settings.MinRequestBodyGracePeriod);
        options.Limits.MaxConcurrentConnections = settings.MaxConnections;
    }
}
