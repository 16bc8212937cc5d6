using Gateway.Core.Agencies;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Intake;

/// <summary>One message as submitted, with its content hash and the trace context of the call that submitted it.</summary>
internal sealed record Submission(MessageKind Kind, Header Header, IMessage Request, AgencyId Caller, byte[] Payload, byte[] ContentHash)
{
    public string? TraceParent { get; init; }
}
