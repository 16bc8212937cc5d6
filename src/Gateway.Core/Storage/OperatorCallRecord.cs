using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>
/// The audit entry of an operator call: who, which method, with what outcome, and on what (a filter or delivery
/// ids), never message content.
/// </summary>
/// <param name="Rpc">The gRPC method, e.g. /interagency.v1.OperationsService/ReplayDeadLetters.</param>
/// <param name="Actor">"operator:NAME", or "unauthenticated" when the call named no operator.</param>
/// <param name="Code">The gRPC status code's name the call ended with, e.g. OK or Unauthenticated.</param>
/// <param name="Reason">Why it was refused (e.g. operator_unknown, schema); empty when it was not.</param>
/// <param name="Scope">What the call was about, e.g. "recipient=CN/FJPSD ids=12,13"; empty for a refused call.</param>
/// <param name="Fields">The fields at fault when it was refused for them.</param>
public sealed record OperatorCallRecord(
    string Rpc,
    string Actor,
    string Code,
    string Reason,
    string Scope,
    IReadOnlyList<string> Fields)
{
    public AuditEntry ToAuditEntry() =>
        new(
            AuditKinds.OperatorCall,
            Actor,
            null,
            new AuditDetails
            {
                Rpc = Rpc,
                Code = Code,
                Reason = Reason.Length > 0 ? Reason : null,
                Scope = Scope.Length > 0 ? Scope : null,
                Fields = Fields.Count > 0 ? Fields : null,
            });
}

