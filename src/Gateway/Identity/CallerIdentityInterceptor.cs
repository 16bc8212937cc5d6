using Gateway.Audit;
using Gateway.Intake;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Identity;

/// <summary>
/// First step of intake: every call to an agency-facing interagency service must come from a known agency. A call that
/// does not is refused through the <see cref="RefusalBoundary"/>, which audits it as a refusal of an unidentified caller.
/// </summary>
public sealed class CallerIdentityInterceptor(ICallerIdentityResolver resolver) : Interceptor
{
    private static readonly CallRefusal Unauthenticated = new(
        StatusCode.Unauthenticated,
        "caller_unknown",
        $"The call does not identify a known agency; send the '{IdentityOptions.AgencyHeader}' header with an agency id from the directory.",
        [])
    {
        ClaimRefused = true,
    };

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            Identify(context, request);
        }

        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            Identify(context, null);
        }

        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            Identify(context, request);
        }

        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.IsAgencyCall(context))
        {
            Identify(context, null);
        }

        return continuation(requestStream, responseStream, context);
    }

    private void Identify(ServerCallContext context, object? request)
    {
        if (resolver.Resolve(context) is not { } caller)
        {
            throw RefusalBoundary.Refuse(context, Unauthenticated with { MessageId = Envelope.FindMessageId(request) });
        }

        context.SetCaller(caller);
    }
}
