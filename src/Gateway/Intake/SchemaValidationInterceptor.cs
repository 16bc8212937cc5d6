using System.Text;
using Buf.Validate;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Identity;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using ProtoValidate;
using FieldViolation = Gateway.Core.Intake.FieldViolation;

namespace Gateway.Intake;

/// <summary>
/// Second step of intake: the request must meet the protovalidate rules written in the protos.
/// A refusal lists every field at fault and is audited before it is returned.
/// </summary>
public sealed class SchemaValidationInterceptor(IValidator validator, IMessageStore store) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (InterceptScope.Applies(context) && request is IMessage message)
        {
            var violations = Validate(message);
            if (violations.Count > 0)
            {
                var refusal = new IntakeRefusal(
                    RefusalCode.InvalidArgument,
                    "schema",
                    "The message does not meet the interagency.v1 schema; see the field violations.",
                    violations);
                await store.RecordRefusalAsync(
                    MessageIntake.ToRecord(context.Method, context.FindCaller(), Envelope.FindMessageId(request), refusal),
                    context.CancellationToken);
                throw RefusalStatus.ToException(refusal);
            }
        }

        return await continuation(request, context);
    }

    public IReadOnlyList<FieldViolation> Validate(IMessage message)
    {
        var result = validator.Validate(message, false);
        return result.Violations.Count == 0
            ? []
            : result.Violations.Select(v => new FieldViolation(FieldPath(v), v.Message)).ToArray();
    }

    /// <summary>Joins a violation's path elements into e.g. <c>header.recipients[1]</c>.</summary>
    private static string FieldPath(Violation violation)
    {
        if (violation.Field is null)
        {
            return string.Empty;
        }

        var path = new StringBuilder();
        foreach (var element in violation.Field.Elements)
        {
            if (path.Length > 0)
            {
                path.Append('.');
            }

            path.Append(element.FieldName);
            if (element.SubscriptCase == FieldPathElement.SubscriptOneofCase.Index)
            {
                path.Append('[').Append(element.Index).Append(']');
            }
        }

        return path.ToString();
    }
}
