using System.Diagnostics.CodeAnalysis;
using Gateway.Audit;

namespace Gateway.Identity.Operators;

/// <summary>
/// The outcome of an operator check: the operator, when the call proved one, and the refusal, when it may not go on. A
/// refusal with an operator (a valid token without the role) is audited under that operator.
/// </summary>
public readonly record struct OperatorAuthorization(OperatorName? Operator, CallRefusal? Refusal)
{
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Allowed => Refusal is null;

    public static OperatorAuthorization Allow(OperatorName name) => new(name, null);

    public static OperatorAuthorization Refuse(CallRefusal refusal, OperatorName? name = null) => new(name, refusal);
}
