using Gateway.Audit;
using Gateway.Core.Storage;
using Gateway.Identity;
using Gateway.Intake;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Operations;

/// <summary>
/// The one authorisation check of every operator call, and the audit of the calls it lets through: a call the
/// <see cref="IOperatorAuthorizer"/> refuses (no operator proved: UNAUTHENTICATED; a role missing: PERMISSION_DENIED) is
/// refused through the <see cref="RefusalBoundary"/>, which audits every refused operator call; every other call leaves
/// one <c>operator.call</c> entry with its outcome, written here. Agency identity does not
/// apply here: an agency header alone does not make an operator.
/// </summary>
public sealed class OperatorCallInterceptor(IOperatorAuthorizer authorizer, IAuditLog audit) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        InterceptScope.IsOperatorCall(context) ? RunAsync(context, request, () => continuation(request, context)) : continuation(request, context);

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        InterceptScope.IsOperatorCall(context) ? RunAsync(context, null, () => continuation(requestStream, context)) : continuation(requestStream, context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        InterceptScope.IsOperatorCall(context)
            ? RunAsync(context, request, async () => { await continuation(request, responseStream, context); return true; })
            : continuation(request, responseStream, context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        InterceptScope.IsOperatorCall(context)
            ? RunAsync(context, null, async () => { await continuation(requestStream, responseStream, context); return true; })
            : continuation(requestStream, responseStream, context);

    private async Task<T> RunAsync<T>(ServerCallContext context, object? request, Func<Task<T>> call)
    {
        var authorization = await authorizer.AuthorizeAsync(context);
        if (authorization.Operator is { } known)
        {
            // Set before a refusal too: a valid token without the role is audited under its subject.
            context.SetOperator(known);
        }

        if (!authorization.Allowed)
        {
            throw RefusalBoundary.Refuse(context, authorization.Refusal);
        }

        var name = authorization.Operator!.Value;
        T result;
        try
        {
            result = await call();
        }
        catch (Exception error) when (!RefusalBoundary.IsRefused(context))
        {
            await AuditAsync(Failed(context.Method, name, request, error));
            throw;
        }

        await AuditAsync(new OperatorCallRecord(
            context.Method, name.Actor, nameof(StatusCode.OK), string.Empty, OperatorCallScope.Describe(request), []));
        return result;
    }

    /// <summary>A call that failed after it was let through, for a reason of the gateway's or its client's, not a refusal.</summary>
    private static OperatorCallRecord Failed(string method, OperatorName name, object? request, Exception error)
    {
        var code = error switch
        {
            RpcException rpc => rpc.StatusCode,
            OperationCanceledException => StatusCode.Cancelled,
            _ => StatusCode.Internal,
        };
        return new OperatorCallRecord(method, name.Actor, code.ToString(), string.Empty, OperatorCallScope.Describe(request), []);
    }

    // Not the call's token: a call cancelled by its client is still audited.
    private Task AuditAsync(OperatorCallRecord record) => audit.AppendAsync([record.ToAuditEntry()], CancellationToken.None);
}
