using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Intake;

/// <summary>Reads the header of any interagency request, whatever its type.</summary>
public static class Envelope
{
    public static Header? FindHeader(object? request) =>
        request is IMessage message && message.Descriptor.FindFieldByName("header") is { } field
            ? field.Accessor.GetValue(message) as Header
            : null;

    public static string? FindMessageId(object? request) => FindHeader(request)?.MessageId;
}
