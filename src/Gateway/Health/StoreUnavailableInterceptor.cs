using Gateway.Core.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Health;

/// <summary>
/// A call that needs a store which can take no more writes ends with UNAVAILABLE, the status that tells a client to try
/// again later (here: once the gateway has been restarted), instead of the UNKNOWN of an unhandled exception. The store
/// logged the failure once when it happened; each call adds nothing to the log.
/// </summary>
public sealed class StoreUnavailableInterceptor : Interceptor
{
    // A write whose flush failed may still be on disk after the restart, so the message does not say it was lost; a
    // message sent again under the same id is answered with its receipt if it was kept.
    private const string Message = "The gateway cannot store anything at the moment and this call is not known to have been kept. Try again later with the same message id.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (StoreUnavailableException)
        {
            throw Unavailable();
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (StoreUnavailableException)
        {
            throw Unavailable();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (StoreUnavailableException)
        {
            throw Unavailable();
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (StoreUnavailableException)
        {
            throw Unavailable();
        }
    }

    private static RpcException Unavailable() => new(new Status(StatusCode.Unavailable, Message));
}
