using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace Gateway.Intake;

/// <summary>
/// Refusals of what gRPC reads before any interceptor runs: a body that is not the method's message, a broken frame
/// header, a compressed message that does not decompress. Each carries a <c>google.rpc.ErrorInfo</c> reason, by which
/// <see cref="TransportRefusalAuditMiddleware"/> tells these faults of the client from failures of the gateway.
/// </summary>
public static class TransportRefusal
{
    /// <summary>A frame's compressed-flag byte is neither 0 nor 1: the body is not gRPC framing.</summary>
    public const string MalformedFrame = "malformed_frame";

    /// <summary>A frame announces a message longer than any gRPC message can be.</summary>
    public const string MessageTooLarge = "message_too_large";

    /// <summary>A message flagged compressed does not decompress with the encoding the call named.</summary>
    public const string Undecompressable = "undecompressable_message";

    private static readonly string[] Reasons = [UndecodableRequest.Reason, MalformedFrame, MessageTooLarge, Undecompressable];

    /// <summary>The status of such a refusal, with its reason as <c>ErrorInfo</c> (upper case, as the gateway's other reasons).</summary>
    public static RpcException Exception(StatusCode code, string reason, string message) =>
        new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { RefusalStatus.ReasonDetail(reason) },
        }.ToRpcException();

    /// <summary>
    /// The reason of a transport refusal carried by a call's <c>grpc-status-details-bin</c> (base64, padding optional),
    /// as audited (lower case); null if the details carry none of them.
    /// </summary>
    public static string? FindReason(string? statusDetails)
    {
        if (string.IsNullOrEmpty(statusDetails))
        {
            return null;
        }

        var padded = statusDetails.PadRight(statusDetails.Length + ((4 - (statusDetails.Length % 4)) % 4), '=');
        var bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var written))
        {
            return null;
        }

        try
        {
            var status = Google.Rpc.Status.Parser.ParseFrom(bytes, 0, written);
            return status.Details
                .Select(d => d.TryUnpack<ErrorInfo>(out var info) ? info.Reason.ToLowerInvariant() : null)
                .FirstOrDefault(reason => reason is not null && Reasons.Contains(reason));
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
