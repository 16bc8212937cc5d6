namespace Gateway.Streams;

/// <summary>Limits of one PublishUpdates stream (section <c>Gateway:Streams:Publish</c>).</summary>
public sealed class PublishOptions
{
    public const string Section = "Gateway:Streams:Publish";

    /// <summary>
    /// Updates read from one stream but not yet acknowledged. Past it the gateway stops reading, and HTTP/2 flow
    /// control holds the publisher back: nothing is buffered without bound.
    /// </summary>
    public int MaxUnacknowledged { get; set; } = 1024;

    /// <summary>Refused updates in a row after which the stream is closed as abusive (RESOURCE_EXHAUSTED).</summary>
    public int MaxConsecutiveRefusals { get; set; } = 100;
}
