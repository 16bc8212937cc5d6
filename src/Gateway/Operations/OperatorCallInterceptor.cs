using Gateway.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Identity;
using Gateway.Intake;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Operations;

/// <summary>
/// The one authorisation check of every operator call, and its audit: a call that names no operator is refused
/// (UNAUTHENTICATED), and every call, allowed or refused, leaves one <c>operator.call</c> entry with its outcome.
/// Agency identity does not apply here: an agency header alone does not make an operator.
/// </summary>
public sealed class OperatorCallInterceptor(
    IOperatorAuthorizer authorizer, IAuditLog store, UnauthenticatedRefusalAudit unidentified, ILogger<OperatorCallInterceptor> logger)
    : Interceptor
{
    private const string Unauthenticated = "unauthenticated";

    private static readonly IntakeRefusal OperatorUnknown = new(
        RefusalCode.Unauthenticated,
        "operator_unknown",
        $"The call does not identify an operator; send the '{IdentityOptions.OperatorHeader}' header with an operator name such as duty-officer-1 (lower-case letters, digits, '.', '_' and '-').",
        []);

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
        if (authorizer.Authorize(context) is not { } name)
        {
            OperationsLog.OperatorUnknown(logger, context.Method, IdentityOptions.OperatorHeader);
            // Anyone who can reach the port can be refused here: within the budget of unidentified callers, as intake.
            var record = new OperatorCallRecord(
                context.Method, Unauthenticated, OperatorUnknown.Code.ToString(), OperatorUnknown.Reason, string.Empty, []);
            await unidentified.RecordAsync(
                token => store.AppendAsync([record.ToAuditEntry()], token),
                TransportRefusalAuditMiddleware.Source(context.GetHttpContext()),
                CancellationToken.None);
            throw RefusalStatus.ToException(OperatorUnknown);
        }

        context.SetOperator(name);
        T result;
        try
        {
            result = await call();
        }
        catch (Exception error)
        {
            await AuditAsync(Failed(context.Method, name, request, error));
            throw;
        }

        await AuditAsync(new OperatorCallRecord(
            context.Method, name.Actor, nameof(Grpc.Core.StatusCode.OK), string.Empty, OperatorCallScope.Describe(request), []));
        return result;
    }

    /// <summary>
    /// A call refused for its fields (schema, page token) records the fields, not a scope read from fields that are at
    /// fault; any other failure came after validation and records the scope.
    /// </summary>
    private static OperatorCallRecord Failed(string method, OperatorName name, object? request, Exception error)
    {
        var code = error switch
        {
            RpcException rpc => rpc.StatusCode,
            OperationCanceledException => Grpc.Core.StatusCode.Cancelled,
            _ => Grpc.Core.StatusCode.Internal,
        };
        var status = (error as RpcException)?.GetRpcStatus();
        var fields = status?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToArray() ?? [];
        var reason = status?.GetDetail<ErrorInfo>()?.Reason.ToLowerInvariant() ?? string.Empty;
        return new OperatorCallRecord(
            method, name.Actor, code.ToString(), reason, fields.Length > 0 ? string.Empty : OperatorCallScope.Describe(request), fields);
    }

    // Not the call's token: a call cancelled by its client is still audited.
    private Task AuditAsync(OperatorCallRecord record) => store.AppendAsync([record.ToAuditEntry()], CancellationToken.None);
}
