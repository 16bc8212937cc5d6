using Gateway.Contracts.Validation;
using Google.Protobuf;

namespace Gateway.Delivery;

/// <summary>
/// Checks an endpoint's answer (a <c>DeliverResponse</c>, or one <c>DeliverResult</c> of a batch) against the rules the
/// contract writes for it, e.g. a refusal given exactly when the outcome is REFUSED. An answer that breaks them says
/// nothing reliable about the delivery, so it counts as a failed attempt.
/// </summary>
public sealed class EndpointAnswers(SchemaValidator validator)
{
    /// <summary>
    /// Null for a valid answer; else the error it is recorded with: <c>invalid answer</c> and the broken rules' ids,
    /// which come from the contract, never from the answer.
    /// </summary>
    public string? Problem(IMessage answer) =>
        validator.Validate(answer) is { Count: > 0 } violations
            ? $"invalid answer ({string.Join(", ", violations.Select(v => v.RuleId).Distinct())})"
            : null;
}
