using Gateway.Contracts.Validation;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Identity;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Intake;

/// <summary>
/// Second step of intake: the request must meet the protovalidate rules written in the protos.
/// A refusal lists every field at fault and is audited before it is returned.
/// </summary>
public sealed class SchemaValidationInterceptor(SchemaValidator validator, IAuditLog store) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await ValidateAsync(request, context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await ValidateAsync(request, context);
        await continuation(request, responseStream, context);
    }

    private async Task ValidateAsync(object request, ServerCallContext context)
    {
        if (InterceptScope.Applies(context) && request is IMessage message)
        {
            var violations = validator.Validate(message);
            if (violations.Count > 0)
            {
                var refusal = SchemaRefusal.From(violations);
                // An operator call is audited once, with its outcome, by the operator interceptor.
                if (!InterceptScope.IsOperatorCall(context))
                {
                    await store.AppendAsync(
                        [MessageIntake.ToRecord(context.Method, context.FindCaller(), Envelope.FindMessageId(request), refusal).ToAuditEntry()],
                        context.CancellationToken);
                }

                throw RefusalStatus.ToException(refusal);
            }
        }
    }
}
