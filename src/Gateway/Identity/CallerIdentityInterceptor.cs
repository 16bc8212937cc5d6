using Gateway.Audit;
using Gateway.Core.Intake;
using Gateway.Intake;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Identity;

/// <summary>
/// First step of intake: every call to an agency-facing interagency service must come from a known agency. Its
/// refusals are of unidentified callers, audited within the budget of <see cref="UnauthenticatedRefusalAudit"/>.
/// </summary>
public sealed class CallerIdentityInterceptor(ICallerIdentityResolver resolver, UnauthenticatedRefusalAudit audit) : Interceptor
{
    private static readonly IntakeRefusal Unauthenticated = new(
        RefusalCode.Unauthenticated,
        "caller_unknown",
        $"The call does not identify a known agency; send the '{IdentityOptions.AgencyHeader}' header with an agency id from the directory.",
        []);

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

    private async Task IdentifyAsync(ServerCallContext context, object? request)
    {
        if (resolver.Resolve(context) is { } caller)
        {
            context.SetCaller(caller);
            return;
        }

        await audit.RecordAsync(
            MessageIntake.ToRecord(context.Method, null, Envelope.FindMessageId(request), Unauthenticated),
            TransportRefusalAuditMiddleware.Source(context.GetHttpContext()),
            context.CancellationToken);
        throw RefusalStatus.ToException(Unauthenticated);
    }
}
