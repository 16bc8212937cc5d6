using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>
/// The audit entry of a refused call: which call, who made it, why, and which fields, never the payload.
/// </summary>
/// <param name="Actor">The calling agency, or "unauthenticated".</param>
/// <param name="MessageId">The message id when it was a well-formed UUID; otherwise null.</param>
/// <param name="Code">The gRPC status code's name, e.g. InvalidArgument or ResourceExhausted.</param>
public sealed record RefusalRecord(
    string Rpc,
    string Actor,
    string? MessageId,
    string Code,
    string Reason,
    IReadOnlyList<string> Fields)
{
    /// <summary>The client certificate the call was refused for, when identity refused one.</summary>
    public AuditCertificate? Certificate { get; init; }

    public AuditEntry ToAuditEntry() =>
        new(AuditKinds.IntakeRefused, Actor, MessageId, new AuditDetails { Rpc = Rpc, Code = Code, Reason = Reason, Fields = Fields, Certificate = Certificate });
}

