using Gateway.Audit;
using Grpc.Core;

namespace Gateway.Intake;

/// <summary>
/// Refusals of what gRPC reads before any interceptor runs: a broken frame header (<see cref="FrameHeaderGuard"/>), a
/// compressed message that does not decompress (<see cref="DecompressionGuard"/>); the body that is not the method's
/// message is <see cref="UndecodableRequest"/>'s. None of them echoes a byte of the body.
/// </summary>
public static class TransportRefusal
{
    /// <summary>A frame's compressed-flag byte is neither 0 nor 1: the body is not gRPC framing.</summary>
    public static readonly CallRefusal MalformedFrame = new(
        StatusCode.Internal,
        "malformed_frame",
        "The gRPC frame header's compressed-flag byte is neither 0 nor 1; the request body is not gRPC framing.",
        []);

    /// <summary>A frame announces a message longer than any gRPC message can be.</summary>
    public static readonly CallRefusal MessageTooLarge = new(
        StatusCode.ResourceExhausted,
        "message_too_large",
        "The gRPC frame header announces a message longer than 2^31-1 bytes, far above the gateway's receive limit.",
        []);

    /// <summary>A message flagged compressed does not decompress with the encoding the call named.</summary>
    public static CallRefusal Undecompressable(string encoding) =>
        new(
            StatusCode.Internal,
            "undecompressable_message",
            $"The message is flagged compressed with '{encoding}' but does not decompress; send it uncompressed, or compressed correctly.",
            []);
}
