using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Streams;

/// <summary>
/// Applies the keepalive settings to Kestrel. Kestrel's keep-alive (idle) timeout only runs while a connection has no
/// open stream, so it never cuts a quiet subscription; the HTTP/2 PINGs keep such a connection visibly alive for
/// middleboxes and detect a peer that has gone away without closing it.
/// </summary>
public sealed class KestrelKeepAliveSetup(IOptions<StreamOptions> streams) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var settings = streams.Value;
        options.Limits.KeepAliveTimeout = settings.IdleTimeout;
        options.Limits.Http2.KeepAlivePingDelay = settings.KeepAlivePingDelay;
        options.Limits.Http2.KeepAlivePingTimeout = settings.KeepAlivePingTimeout;
    }
}
