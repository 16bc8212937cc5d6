using Grpc.Core;

namespace Gateway.Streams;

/// <summary>
/// How a stream ends once its client has cancelled it: CANCELLED, the client's doing. Left to escape the handler, the
/// cancellation (or the failed read or write it causes) would end the call UNKNOWN, logged as an error of the gateway and
/// audited as a refusal, though nothing can reach the client any more.
/// </summary>
internal static class ClientCancellation
{
    /// <summary>Whether <paramref name="error"/> only follows from the client's cancellation of the call.</summary>
    public static bool Ended(Exception error, ServerCallContext context) =>
        error is not RpcException && context.CancellationToken.IsCancellationRequested;

    public static RpcException Status() => new(new Status(StatusCode.Cancelled, "The client cancelled the call."));
}
