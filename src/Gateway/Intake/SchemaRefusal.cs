using Gateway.Contracts.Validation;
using Gateway.Core.Intake;
using FieldError = Gateway.Core.Intake.FieldError;

namespace Gateway.Intake;

/// <summary>The refusal of a message that breaks the protovalidate rules of the protos or carries fields they do not define.</summary>
public static class SchemaRefusal
{
    public static IntakeRefusal From(IReadOnlyList<SchemaViolation> violations) =>
        violations.Any(v => v.RuleId == SchemaValidator.UnknownFieldRule)
            ? new(
                RefusalCode.InvalidArgument,
                "unknown_field",
                "The message carries fields the gateway's interagency.v1 contract does not define; see the field violations. Send only the fields of the contract version the gateway runs.",
                ToFieldViolations(violations))
            : new(
                RefusalCode.InvalidArgument,
                "schema",
                "The message does not meet the interagency.v1 schema; see the field violations.",
                ToFieldViolations(violations));

    private static FieldError[] ToFieldViolations(IReadOnlyList<SchemaViolation> violations) =>
        violations.Select(v => new FieldError(v.Field, v.Description)).ToArray();
}
