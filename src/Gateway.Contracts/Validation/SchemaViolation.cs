namespace Gateway.Contracts.Validation;

/// <summary>A field that breaks a rule written in the protos, by path (e.g. <c>header.recipients[1]</c>).</summary>
/// <param name="RuleId">The protovalidate rule, e.g. <c>string.pattern</c> or a custom rule's id.</param>
/// <param name="Description">What is expected; never the value itself.</param>
public sealed record SchemaViolation(string Field, string RuleId, string Description);
