using Gateway.Identity;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Limits;

/// <summary>
/// Holds each agency to its rate and its number of open streams. Operators, who have no agency, are not limited here.
/// </summary>
/// <remarks>
/// An interceptor after the identity check rather than ASP.NET Core's rate limiting middleware: the middleware runs
/// before gRPC's interceptors, where the caller's agency is not known in every identity mode, answers with HTTP 429
/// rather than a gRPC status with RetryInfo, and sees a stream once, not each message on it.
/// </remarks>
public sealed class AgencyLimitsInterceptor(AgencyRateLimits limits) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindCaller() is { } agency)
        {
            limits.Admit(context, agency);
        }

        return continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindCaller() is not { } agency)
        {
            return await continuation(requestStream, context);
        }

        limits.Admit(context, agency);
        using (limits.OpenStream(context, agency))
        {
            return await continuation(new AdmittedReader<TRequest>(requestStream, limits, context, agency), context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindCaller() is not { } agency)
        {
            await continuation(request, responseStream, context);
            return;
        }

        limits.Admit(context, agency);
        using (limits.OpenStream(context, agency))
        {
            await continuation(request, responseStream, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.FindCaller() is not { } agency)
        {
            await continuation(requestStream, responseStream, context);
            return;
        }

        limits.Admit(context, agency);
        using (limits.OpenStream(context, agency))
        {
            await continuation(new AdmittedReader<TRequest>(requestStream, limits, context, agency), responseStream, context);
        }
    }
}
