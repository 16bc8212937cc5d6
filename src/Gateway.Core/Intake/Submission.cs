using Gateway.Core.Agencies;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Intake;

/// <summary>One message as submitted, with its content hash.</summary>
internal sealed record Submission(MessageKind Kind, Header Header, IMessage Request, AgencyId Caller, byte[] Payload, byte[] ContentHash);
