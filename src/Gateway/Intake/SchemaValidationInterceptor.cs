using Gateway.Audit;
using Gateway.Contracts.Validation;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Gateway.Intake;

/// <summary>
/// Second step of intake: the request must meet the protovalidate rules written in the protos. A refusal lists every
/// field at fault and goes through the <see cref="RefusalBoundary"/>, which audits it.
/// </summary>
public sealed class SchemaValidationInterceptor(SchemaValidator validator) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request, context);
        return continuation(request, responseStream, context);
    }

    private void Validate(object request, ServerCallContext context)
    {
        if (InterceptScope.Applies(context) && request is IMessage message && validator.Validate(message) is { Count: > 0 } violations)
        {
            throw RefusalBoundary.Refuse(context, CallRefusal.From(SchemaRefusal.From(violations), Envelope.FindMessageId(request)));
        }
    }
}
