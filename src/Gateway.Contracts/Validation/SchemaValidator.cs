using System.Collections.Concurrent;
using System.Text;
using Gateway.Contracts.Validation.Internal;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ProtoValidate;

namespace Gateway.Contracts.Validation;

/// <summary>
/// Checks a message against the protovalidate rules written in the protos. The rules are read from the
/// descriptors' annotations and compiled once per message type into plain checks, which is some hundred
/// times cheaper than interpreting them as CEL on every message. A type whose rules the compiler does not
/// know is validated by protovalidate itself, so nothing written in a proto is ever skipped. Before any rule, the
/// message must be well formed: no field the contract does not define, anywhere in it (a recipient would get bytes
/// nobody checked, and the sender would believe they were carried), and no timestamp outside the range a date can
/// hold (a rule or intake reading it would throw).
/// </summary>
public sealed class SchemaValidator(IValidator protovalidate, TimeProvider time)
{
    /// <summary>The rule id of a field the contract does not define; the violation names the message that holds it.</summary>
    public const string UnknownFieldRule = WellFormedness.UnknownFieldRule;

    private readonly RuleCompiler _compiler = new();
    private readonly ConcurrentDictionary<MessageDescriptor, MessagePlan?> _plans = new();

    /// <summary>True when the type's rules run compiled rather than through protovalidate.</summary>
    public bool IsCompiled(MessageDescriptor descriptor) => Plan(descriptor) is not null;

    public IReadOnlyList<SchemaViolation> Validate(IMessage message)
    {
        if (WellFormedness.Find(message) is { } malformed)
        {
            return malformed;
        }

        if (Plan(message.Descriptor) is not { } plan)
        {
            return ValidateWithProtovalidate(message);
        }

        List<SchemaViolation>? violations = null;
        plan.Run(message, time.GetUtcNow(), string.Empty, ref violations);
        return violations ?? (IReadOnlyList<SchemaViolation>)[];
    }

    /// <summary>protovalidate's own verdict, with its field paths joined the same way.</summary>
    public IReadOnlyList<SchemaViolation> ValidateWithProtovalidate(IMessage message)
    {
        var result = protovalidate.Validate(message, false);
        return result.Violations.Count == 0
            ? []
            : result.Violations.Select(v => new SchemaViolation(FieldPath(v), v.RuleId, v.Message)).ToArray();
    }

    private MessagePlan? Plan(MessageDescriptor descriptor) => _plans.GetOrAdd(descriptor, d => _compiler.Compile(d));

    private static string FieldPath(Buf.Validate.Violation violation)
    {
        if (violation.Field is null)
        {
            return string.Empty;
        }

        var path = new StringBuilder();
        foreach (var element in violation.Field.Elements)
        {
            if (path.Length > 0)
            {
                path.Append('.');
            }

            path.Append(element.FieldName);
            if (element.SubscriptCase == Buf.Validate.FieldPathElement.SubscriptOneofCase.Index)
            {
                path.Append('[').Append(element.Index).Append(']');
            }
        }

        return path.ToString();
    }
}
