using Gateway.Audit;
using Gateway.Intake;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Identity;

/// <summary>
/// First step of intake: every call to an agency-facing interagency service must come from a known agency. A call that
/// does not is refused, with the refusal the <see cref="ICallerIdentityResolver"/> gave, through the
/// <see cref="RefusalBoundary"/>, which audits it as a refusal of an unidentified caller.
/// </summary>
public sealed class CallerIdentityInterceptor(ICallerIdentityResolver resolver) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            await IdentifyAsync(context, request);
        }

        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            await IdentifyAsync(context, null);
        }

        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            await IdentifyAsync(context, request);
        }

        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            await IdentifyAsync(context, null);
        }

        await continuation(requestStream, responseStream, context);
    }

    private async ValueTask IdentifyAsync(ServerCallContext context, object? request)
    {
        var identification = await resolver.ResolveAsync(context);
        if (identification.Agency is not { } caller)
        {
            throw RefusalBoundary.Refuse(context, identification.Refusal! with { MessageId = Envelope.FindMessageId(request) });
        }

        context.SetCaller(caller);
    }
}
