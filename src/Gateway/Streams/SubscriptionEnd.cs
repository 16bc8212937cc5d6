using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Gateway.Streams;

/// <summary>
/// How the gateway ends a subscription that the client should resume: a status with an ErrorInfo whose metadata
/// <c>resume_after_sequence</c> is the last sequence written to the stream; every update up to it precedes the status.
/// </summary>
public static class SubscriptionEnd
{
    public const string Domain = "liaison-gateway";
    public const string ResumeAfterSequence = "resume_after_sequence";
    public const string TooSlowReason = "SUBSCRIBER_TOO_SLOW";
    public const string ShuttingDownReason = "GATEWAY_SHUTTING_DOWN";

    /// <summary>RESOURCE_EXHAUSTED: the subscription used up its allowance of data in flight.</summary>
    public static RpcException TooSlow(long lastSequence) => End(
        Grpc.Core.StatusCode.ResourceExhausted,
        "The subscriber did not read its updates fast enough; subscribe again with after_sequence set to resume_after_sequence.",
        TooSlowReason,
        lastSequence);

    /// <summary>UNAVAILABLE: the gateway is stopping; the client reconnects, to another instance or later.</summary>
    public static RpcException ShuttingDown(long lastSequence) => End(
        Grpc.Core.StatusCode.Unavailable,
        "The gateway is shutting down; subscribe again later with after_sequence set to resume_after_sequence.",
        ShuttingDownReason,
        lastSequence);

    private static RpcException End(Grpc.Core.StatusCode code, string message, string reason, long lastSequence)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        info.Metadata.Add(ResumeAfterSequence, lastSequence.ToString(CultureInfo.InvariantCulture));
        return new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } }.ToRpcException();
    }
}
