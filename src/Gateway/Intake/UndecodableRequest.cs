using Gateway.Core.Intake;
using Google.Protobuf;
using Grpc.Core;

namespace Gateway.Intake;

/// <summary>
/// A request body that is not the protobuf message the method takes. gRPC decodes it before any interceptor runs, so
/// intake never sees it: the request marshaller is wrapped (<see cref="Guard{T}"/>) to refuse it INVALID_ARGUMENT
/// instead of the UNKNOWN an exception in the handler would give, and <see cref="TransportRefusalAuditMiddleware"/>
/// audits it, recognising it by its reason (<see cref="TransportRefusal.FindReason"/>).
/// </summary>
public static class UndecodableRequest
{
    /// <summary>The refusal's reason, as audited and as the <c>google.rpc.ErrorInfo</c> reason (upper case) the caller gets.</summary>
    public const string Reason = "undecodable_message";

    /// <summary>The refusal for a body that does not decode as <paramref name="messageName"/>. No byte of the body is echoed.</summary>
    public static IntakeRefusal Refusal(string messageName) =>
        new(
            RefusalCode.InvalidArgument,
            Reason,
            $"The request is not a {messageName} in the protobuf wire format; it could not be decoded, so no field of it was read.",
            []);

    /// <summary>
    /// The same marshaller, except that a body its deserializer cannot decode fails the call INVALID_ARGUMENT. Only a
    /// decoding failure is turned into a refusal; anything else the deserializer throws stays an error of the gateway.
    /// </summary>
    public static Marshaller<T> Guard<T>(Marshaller<T> marshaller)
    {
        var deserialize = marshaller.ContextualDeserializer;

        // The status is built once; the exception is new for each call, as calls fail on many threads at once.
        var refusal = RefusalStatus.ToStatus(Refusal(MessageName<T>()));
        return Marshallers.Create(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException)
            {
                throw refusal.ToRpcException();
            }
        });
    }

    /// <summary>The protobuf name of a generated message type (its static <c>Descriptor</c>), else the CLR name.</summary>
    private static string MessageName<T>() =>
        typeof(T).GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null)
            is Google.Protobuf.Reflection.MessageDescriptor descriptor
            ? descriptor.FullName
            : typeof(T).Name;
}
