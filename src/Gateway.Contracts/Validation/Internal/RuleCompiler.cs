using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Buf.Validate;
using Google.Protobuf.Reflection;

namespace Gateway.Contracts.Validation.Internal;

/// <summary>
/// Compiles the protovalidate annotations of a message type into plain checks. It knows the standard
/// rules our protos use; a message whose rules include anything else gets no plan (null), and is then
/// left to protovalidate itself.
/// </summary>
internal sealed class RuleCompiler
{
    private readonly Dictionary<MessageDescriptor, MessagePlan> _plans = [];
    private readonly Lock _lock = new();

    public MessagePlan? Compile(MessageDescriptor descriptor)
    {
        lock (_lock)
        {
            var plan = CompileMessage(descriptor);
            return plan.Complete ? plan : null;
        }
    }

    private MessagePlan CompileMessage(MessageDescriptor descriptor)
    {
        if (_plans.TryGetValue(descriptor, out var known))
        {
            return known;
        }

        // Registered before its fields are compiled, so a recursive type refers to itself instead of looping.
        var plan = new MessagePlan { Complete = true };
        _plans.Add(descriptor, plan);
        var complete = CompileMessageRules(descriptor, plan);
        foreach (var oneof in descriptor.Oneofs.Where(o => !o.IsSynthetic))
        {
            var rules = oneof.GetOptions()?.GetExtension(ValidateExtensions.Oneof);
            if (rules is { Required: true })
            {
                plan.RequiredOneofs.Add(oneof);
            }
        }

        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            var fieldPlan = new FieldPlan(field);
            complete &= CompileField(field, fieldPlan);
            if (!fieldPlan.IsEmpty)
            {
                plan.Fields.Add(fieldPlan);
            }
        }

        plan.Complete = complete;
        return plan;
    }

    private static bool CompileMessageRules(MessageDescriptor descriptor, MessagePlan plan)
    {
        var rules = descriptor.GetOptions()?.GetExtension(ValidateExtensions.Message);
        if (rules is null)
        {
            return true;
        }

        var rest = rules.Clone();
        rest.Cel.Clear();
        var complete = rest.Equals(new MessageRules());
        foreach (var rule in rules.Cel)
        {
            if (NativeCelRules.Find(rule) is not { } native)
            {
                complete = false;
                continue;
            }

            var failure = (rule.Id, rule.Message);
            plan.MessageChecks.Add(((value, now) => native(value, now) ? null : failure, rule.Id));
        }

        return complete;
    }

    private bool CompileField(FieldDescriptor field, FieldPlan plan)
    {
        var complete = true;
        if (field.FieldType == FieldType.Message && !field.IsMap)
        {
            var nested = CompileMessage(field.MessageType);
            complete &= nested.Complete;
            plan.Nested = nested;
        }

        var rules = field.GetOptions()?.GetExtension(ValidateExtensions.Field);
        if (rules is null)
        {
            return complete && !field.IsMap;
        }

        var rest = rules.Clone();
        if (rules.Required)
        {
            // "Required" of a message field means set; for other kinds it has other meanings this compiler does not need.
            complete &= field.FieldType == FieldType.Message && !field.IsRepeated;
            plan.Required = true;
            rest.ClearRequired();
        }

        rest.Cel.Clear();
        foreach (var rule in rules.Cel)
        {
            if (NativeCelRules.Find(rule) is { } native)
            {
                var failure = (rule.Id, rule.Message);
                plan.Checks.Add((value, now) => native(value, now) ? null : failure);
            }
            else
            {
                complete = false;
            }
        }

        if (field.IsRepeated && rules.TypeCase == FieldRules.TypeOneofCase.Repeated)
        {
            complete &= CompileRepeated(rest.Repeated, plan);
            rest.ClearType();
        }
        else if (!field.IsRepeated)
        {
            complete &= CompileScalar(rest, plan.Checks);
        }

        return complete && rest.Equals(new FieldRules()) && !field.IsMap;
    }

    private bool CompileRepeated(RepeatedRules rules, FieldPlan plan)
    {
        var rest = rules.Clone();
        if (rules.HasMinItems)
        {
            var min = rules.MinItems;
            plan.Checks.Add((v, _) => (ulong)((IList)v).Count >= min ? null : ("repeated.min_items", $"must contain at least {min} item(s)"));
            rest.ClearMinItems();
        }

        if (rules.HasMaxItems)
        {
            var max = rules.MaxItems;
            plan.Checks.Add((v, _) => (ulong)((IList)v).Count <= max ? null : ("repeated.max_items", $"must contain no more than {max} item(s)"));
            rest.ClearMaxItems();
        }

        if (rules.Unique)
        {
            plan.Checks.Add((v, _) => AllUnique((IList)v) ? null : ("repeated.unique", "repeated value must contain unique items"));
            rest.ClearUnique();
        }

        var complete = true;
        if (rules.Items is { } items)
        {
            var itemRest = items.Clone();
            complete &= CompileScalar(itemRest, plan.ItemChecks) && itemRest.Cel.Count == 0 && !itemRest.Required;
            rest.Items = null;
        }

        return complete && rest.Equals(new RepeatedRules());
    }

    /// <summary>Compiles the type-specific rules of <paramref name="rules"/> and clears what it compiled.</summary>
    private static bool CompileScalar(FieldRules rules, List<ValueCheck> checks)
    {
        bool complete;
        switch (rules.TypeCase)
        {
            case FieldRules.TypeOneofCase.None:
                return true;
            case FieldRules.TypeOneofCase.String:
                complete = CompileString(rules.String, checks);
                break;
            case FieldRules.TypeOneofCase.Enum:
                complete = CompileEnum(rules.Enum, checks);
                break;
            case FieldRules.TypeOneofCase.Uint32:
                complete = CompileUInt32(rules.Uint32, checks);
                break;
            case FieldRules.TypeOneofCase.Double:
                complete = CompileDouble(rules.Double, checks);
                break;
            case FieldRules.TypeOneofCase.Timestamp:
                complete = CompileTimestamp(rules.Timestamp, checks);
                break;
            default:
                return false;
        }

        rules.ClearType();
        return complete;
    }

    private static bool CompileString(StringRules rules, List<ValueCheck> checks)
    {
        var rest = rules.Clone();
        if (rules.HasMinLen)
        {
            var min = rules.MinLen;
            checks.Add((v, _) => RuneCount((string)v) >= min ? null : ("string.min_len", $"must be at least {min} characters"));
            rest.ClearMinLen();
        }

        if (rules.HasMaxLen)
        {
            var max = rules.MaxLen;
            checks.Add((v, _) => RuneCount((string)v) <= max ? null : ("string.max_len", $"must be at most {max} characters"));
            rest.ClearMaxLen();
        }

        if (rules.HasPattern)
        {
            var pattern = new Regex(FromRe2(rules.Pattern), RegexOptions.Compiled | RegexOptions.CultureInvariant);
            var failure = ("string.pattern", $"must match the pattern {rules.Pattern}");
            checks.Add((v, _) => pattern.IsMatch((string)v) ? null : failure);
            rest.ClearPattern();
        }

        return rest.Equals(new StringRules());
    }

    /// <summary>Only a timestamp that converts to a date gets here: <see cref="WellFormedness"/> refused any other.</summary>
    private static bool CompileTimestamp(TimestampRules rules, List<ValueCheck> checks)
    {
        var rest = rules.Clone();
        if (rules.GreaterThanCase == TimestampRules.GreaterThanOneofCase.Gte)
        {
            var min = rules.Gte.ToDateTimeOffset();
            var failure = ("timestamp.gte", $"must be at or after {min.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
            checks.Add((v, _) => ((Google.Protobuf.WellKnownTypes.Timestamp)v).ToDateTimeOffset() >= min ? null : failure);
            rest.ClearGreaterThan();
        }

        return rest.Equals(new TimestampRules());
    }

    private static bool CompileEnum(EnumRules rules, List<ValueCheck> checks)
    {
        var rest = rules.Clone();
        if (rules.DefinedOnly)
        {
            checks.Add((v, _) => System.Enum.IsDefined(v.GetType(), v) ? null : ("enum.defined_only", "must be one of the defined values"));
            rest.ClearDefinedOnly();
        }

        if (rules.NotIn.Count > 0)
        {
            var excluded = rules.NotIn.ToHashSet();
            checks.Add((v, _) => !excluded.Contains((int)v) ? null : ("enum.not_in", "must be set to a value other than UNSPECIFIED"));
            rest.NotIn.Clear();
        }

        return rest.Equals(new EnumRules());
    }

    private static bool CompileUInt32(UInt32Rules rules, List<ValueCheck> checks)
    {
        var rest = rules.Clone();
        if (rules.LessThanCase == UInt32Rules.LessThanOneofCase.Lte)
        {
            var max = rules.Lte;
            checks.Add((v, _) => (uint)v <= max ? null : ("uint32.lte", $"must be at most {max}"));
            rest.ClearLessThan();
        }

        return rest.Equals(new UInt32Rules());
    }

    private static bool CompileDouble(DoubleRules rules, List<ValueCheck> checks)
    {
        var rest = rules.Clone();
        if (rules.GreaterThanCase == DoubleRules.GreaterThanOneofCase.Gte && rules.LessThanCase == DoubleRules.LessThanOneofCase.Lte)
        {
            var (min, max) = (rules.Gte, rules.Lte);
            checks.Add((v, _) => (double)v >= min && (double)v <= max ? null : ("double.gte_lte", $"must be between {min} and {max}"));
            rest.ClearGreaterThan();
            rest.ClearLessThan();
        }

        return rest.Equals(new DoubleRules());
    }

    /// <summary>protovalidate counts characters as Unicode code points, not UTF-16 units.</summary>
    private static ulong RuneCount(string value)
    {
        ulong count = 0;
        foreach (var c in value)
        {
            if (!char.IsLowSurrogate(c))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>RE2's <c>$</c> matches only at the very end; .NET's also before a final newline.</summary>
    private static string FromRe2(string pattern) => Regex.Replace(pattern, @"(?<!\\)\$", @"\z");

    private static bool AllUnique(IList values)
    {
        var seen = new HashSet<object>();
        foreach (var value in values)
        {
            if (!seen.Add(value!))
            {
                return false;
            }
        }

        return true;
    }
}
