using Gateway.Audit;
using Google.Protobuf;
using Grpc.Core;

namespace Gateway.Intake;

/// <summary>
/// A request body that is not the protobuf message the method takes. gRPC decodes it before any interceptor runs, so
/// intake never sees it: the request marshaller is wrapped (<see cref="Guard{T}"/>) to refuse it INVALID_ARGUMENT
/// through the <see cref="RefusalBoundary"/> instead of the UNKNOWN an exception in the handler would give.
/// </summary>
public static class UndecodableRequest
{
    /// <summary>The refusal for a body that does not decode as <paramref name="messageName"/>. No byte of the body is echoed.</summary>
    public static CallRefusal Refusal(string messageName) =>
        new(
            StatusCode.InvalidArgument,
            "undecodable_message",
            $"The request is not a {messageName} in the protobuf wire format; it could not be decoded, so no field of it was read.",
            []);

    /// <summary>
    /// The same marshaller, except that a body its deserializer cannot decode fails the call INVALID_ARGUMENT. Only a
    /// decoding failure is turned into a refusal; anything else the deserializer throws stays an error of the gateway.
    /// Marshallers are shared by every call: the call being decoded is the current request of <paramref name="calls"/>.
    /// </summary>
    public static Marshaller<T> Guard<T>(Marshaller<T> marshaller, IHttpContextAccessor calls)
    {
        var deserialize = marshaller.ContextualDeserializer;
        var refusal = Refusal(MessageName<T>());
        return Marshallers.Create(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException)
            {
                throw RefusalBoundary.Refuse(calls.HttpContext, refusal);
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
