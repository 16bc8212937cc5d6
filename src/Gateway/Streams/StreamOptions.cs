namespace Gateway.Streams;

/// <summary>Settings of long-lived streams (section <c>Gateway:Streams</c>): subscriptions and HTTP/2 keepalive.</summary>
public sealed class StreamOptions
{
    public const string Section = "Gateway:Streams";

    /// <summary>Feed entries read from the store at a time by one subscription; also the most it holds in memory.</summary>
    public int PageSize { get; set; } = 64;

    /// <summary>
    /// How long one write to a subscriber may wait for the transport (HTTP/2 flow control) before the subscriber is
    /// ended as too slow. Bounds what a subscription keeps in flight: one page plus the transport's buffers.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Kestrel <c>Limits.Http2.KeepAlivePingDelay</c>: after this long without a frame from the client the server
    /// sends an HTTP/2 PING, so that middleboxes see traffic on a quiet stream and a dead peer is found.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Kestrel <c>Limits.Http2.KeepAlivePingTimeout</c>: a PING unanswered this long closes the connection.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Kestrel <c>Limits.KeepAliveTimeout</c>: how long a connection with no open stream is kept. A connection with an
    /// open subscription is not idle, however quiet the subscription.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(130);
}
