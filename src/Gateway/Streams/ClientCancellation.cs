using Gateway.Core.Storage;
using Grpc.Core;

namespace Gateway.Streams;

/// <summary>
/// How a stream ends once its client has cancelled it: CANCELLED, the client's doing. Left to escape the handler, the
/// cancellation (or the failed read or write it causes) would end the call UNKNOWN, logged as an error of the gateway and
/// audited as a refusal, though nothing can reach the client any more.
/// </summary>
internal static class ClientCancellation
{
    /// <summary>
    /// Whether <paramref name="error"/> only follows from the client's cancellation of the call. A reset stream fails the
    /// pending read with an <see cref="IOException"/> at once, while Kestrel cancels the call's token on the thread pool a
    /// moment later: a read that failed so is the client's doing whether or not the token has been cancelled yet (the
    /// race once ended a cancelled publisher's call as an error of the gateway).
    /// </summary>
    /// <remarks>
    /// A store that cannot be reached is never the client's doing, though its cause may be an <see cref="IOException"/>
    /// too (a database connection broken by a server that stopped): it ends the call UNAVAILABLE, for the client to resume.
    /// </remarks>
    public static bool Ended(Exception error, ServerCallContext context) =>
        error is not (RpcException or StoreUnavailableException) && (context.CancellationToken.IsCancellationRequested || BrokenByClient(error));

    public static RpcException Status() => new(new Status(StatusCode.Cancelled, "The client cancelled the call."));

    private static bool BrokenByClient(Exception error)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is IOException)
            {
                return true;
            }
        }

        return false;
    }
}
