using Gateway.Contracts.Validation;
using Gateway.Core.Intake;
using FieldViolation = Gateway.Core.Intake.FieldViolation;

namespace Gateway.Intake;

/// <summary>The refusal of a message that breaks the protovalidate rules of the protos.</summary>
public static class SchemaRefusal
{
    public static IntakeRefusal From(IReadOnlyList<SchemaViolation> violations) =>
        new(
            RefusalCode.InvalidArgument,
            "schema",
            "The message does not meet the interagency.v1 schema; see the field violations.",
            violations.Select(v => new FieldViolation(v.Field, v.Description)).ToArray());
}
