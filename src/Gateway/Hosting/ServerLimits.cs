namespace Gateway.Hosting;

/// <summary>
/// What one caller can make the server hold (section <c>Gateway:Limits</c>): message sizes per gRPC service, and
/// Kestrel's HTTP/2 and connection limits. The keepalive and idle settings of long-lived streams are in
/// <c>Gateway:Streams</c> (<see cref="Streams.StreamOptions"/>). docs/configuration.md, "Limits", lists them all.
/// </summary>
public sealed class ServerLimits
{
    public const string Section = "Gateway:Limits";

    /// <summary>Largest message (decompressed) a <c>ReferralService</c> call may send; a larger one is RESOURCE_EXHAUSTED.</summary>
    public int ReferralMaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest message a <c>FugitiveService</c> call may send.</summary>
    public int FugitiveMaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest message on a <c>CaseUpdateService</c> call: each update on a PublishUpdates stream, a Subscribe request.</summary>
    public int CaseUpdateMaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest message an <c>OperationsService</c> call may send (ids and page tokens; 1,000 ids take about 40 KB).</summary>
    public int OperationsMaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Largest message to any other service: health and reflection, whose requests are a name or two.</summary>
    public int OtherMaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Kestrel <c>Limits.Http2.MaxStreamsPerConnection</c>: calls open at once on one connection; more wait for the client's turn.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Kestrel <c>Limits.MaxRequestHeadersTotalSize</c>: all request headers (gRPC metadata) of one call, decoded.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Kestrel <c>Limits.Http2.HeaderTableSize</c>: the HPACK table the server keeps per connection.</summary>
    public int HeaderTableBytes { get; set; } = 4096;

    /// <summary>Kestrel <c>Limits.Http2.MaxFrameSize</c>: the largest HTTP/2 frame payload the server accepts.</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024;

    /// <summary>Kestrel <c>Limits.RequestHeadersTimeout</c>: how long a client may take to send a call's headers.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Kestrel <c>Limits.MinRequestBodyDataRate</c>: a unary call's body must arrive at least this fast, after
    /// <see cref="MinRequestBodyGracePeriod"/>. gRPC lifts it for streams, which are idle by nature.
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Grace period of <see cref="MinRequestBodyBytesPerSecond"/>.</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Kestrel <c>Limits.MaxConcurrentConnections</c>: open connections at once; none when not set.</summary>
    public long? MaxConnections { get; set; }
}
