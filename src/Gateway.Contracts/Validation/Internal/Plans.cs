using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Gateway.Contracts.Validation.Internal;

/// <summary>A compiled rule: null when the value passes, else the rule id and what is expected.</summary>
internal delegate (string RuleId, string Description)? ValueCheck(object value, DateTimeOffset now);

/// <summary>The compiled rules of one field.</summary>
internal sealed class FieldPlan(FieldDescriptor field)
{
    public FieldDescriptor Field { get; } = field;

    public bool Required { get; set; }

    /// <summary>Checks on the field's value; for a repeated field, on the list as a whole.</summary>
    public List<ValueCheck> Checks { get; } = [];

    /// <summary>For a repeated field, checks on each element.</summary>
    public List<ValueCheck> ItemChecks { get; } = [];

    /// <summary>For a message field, the plan of its type, applied when it is set.</summary>
    public MessagePlan? Nested { get; set; }

    public bool IsEmpty => !Required && Checks.Count == 0 && ItemChecks.Count == 0 && Nested is not { IsEmpty: false };
}

/// <summary>The compiled rules of one message type, including those of the messages it contains.</summary>
internal sealed class MessagePlan
{
    public List<FieldPlan> Fields { get; } = [];

    public List<(ValueCheck Check, string RuleId)> MessageChecks { get; } = [];

    public List<OneofDescriptor> RequiredOneofs { get; } = [];

    /// <summary>Set once the whole plan is compiled; cleared for good if any rule could not be compiled.</summary>
    public bool Complete { get; set; }

    public bool IsEmpty => Fields.Count == 0 && MessageChecks.Count == 0 && RequiredOneofs.Count == 0;

    public void Run(IMessage message, DateTimeOffset now, string path, ref List<SchemaViolation>? violations)
    {
        foreach (var (check, _) in MessageChecks)
        {
            if (check(message, now) is { } failure)
            {
                Add(ref violations, path, failure);
            }
        }

        foreach (var oneof in RequiredOneofs)
        {
            if (oneof.Accessor.GetCaseFieldDescriptor(message) is null)
            {
                Add(ref violations, Join(path, oneof.Name), ("required", "exactly one field is required"));
            }
        }

        foreach (var field in Fields)
        {
            RunField(field, message, now, path, ref violations);
        }
    }

    private static void RunField(FieldPlan plan, IMessage message, DateTimeOffset now, string path, ref List<SchemaViolation>? violations)
    {
        var field = plan.Field;
        string? fieldPath = null;
        if (field.IsRepeated)
        {
            var list = (System.Collections.IList)field.Accessor.GetValue(message);
            foreach (var check in plan.Checks)
            {
                if (check(list, now) is { } failure)
                {
                    Add(ref violations, fieldPath ??= Join(path, field.Name), failure);
                }
            }

            for (var i = 0; i < list.Count; i++)
            {
                var item = list[i]!;
                string? itemPath = null;
                foreach (var check in plan.ItemChecks)
                {
                    if (check(item, now) is { } failure)
                    {
                        Add(ref violations, itemPath ??= $"{fieldPath ??= Join(path, field.Name)}[{i}]", failure);
                    }
                }

                if (plan.Nested is { IsEmpty: false } nested)
                {
                    nested.Run((IMessage)item, now, itemPath ?? $"{fieldPath ??= Join(path, field.Name)}[{i}]", ref violations);
                }
            }

            return;
        }

        // Rules of a field that has presence (a message, a proto3 optional or oneof member) apply only when it is set.
        if (field.HasPresence && !field.Accessor.HasValue(message))
        {
            if (plan.Required)
            {
                Add(ref violations, Join(path, field.Name), ("required", "is required"));
            }

            return;
        }

        var value = field.Accessor.GetValue(message);
        foreach (var check in plan.Checks)
        {
            if (check(value, now) is { } failure)
            {
                Add(ref violations, fieldPath ??= Join(path, field.Name), failure);
            }
        }

        if (plan.Nested is { IsEmpty: false } nestedPlan)
        {
            nestedPlan.Run((IMessage)value, now, fieldPath ?? Join(path, field.Name), ref violations);
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static void Add(ref List<SchemaViolation>? violations, string path, (string RuleId, string Description) failure) =>
        (violations ??= []).Add(new SchemaViolation(path, failure.RuleId, failure.Description));
}
