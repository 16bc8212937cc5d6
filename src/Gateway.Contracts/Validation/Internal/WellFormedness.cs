using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.Contracts.Validation.Internal;

/// <summary>
/// What must hold before any rule is read: every field in the message tree is one the contract defines, and every
/// timestamp is one that converts to a date. Google.Protobuf keeps unknown fields in a private member without an
/// accessor, but writes them back verbatim when the message is encoded, so this walks the message's own encoding
/// against the descriptors: one pass that names each unknown field by number and reads no value of it.
/// </summary>
internal static class WellFormedness
{
    public const string UnknownFieldRule = "unknown_field";
    public const string TimestampRule = "timestamp.valid";

    /// <summary>A message built to carry thousands of unknown fields gets a refusal of bounded size.</summary>
    private const int MaxViolations = 16;

    // google.protobuf.Timestamp's own range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;
    private const int MaxNanos = 999_999_999;

    public static List<SchemaViolation>? Find(IMessage message)
    {
        var bytes = message.ToByteArray();
        var walk = new Walker(bytes);
        walk.Message(message.Descriptor, 0, bytes.Length);
        return walk.Violations;
    }

    private static bool IsValid(long seconds, int nanos) => seconds is >= MinSeconds and <= MaxSeconds && nanos is >= 0 and <= MaxNanos;

    /// <summary>One walk over one encoding. The path is kept as a stack and spelt out only for a violation.</summary>
    private sealed class Walker(byte[] bytes)
    {
        private readonly List<(FieldDescriptor Field, int Index)> _path = [];

        public List<SchemaViolation>? Violations { get; private set; }

        public void Message(MessageDescriptor descriptor, int offset, int length)
        {
            var input = new CodedInputStream(bytes, offset, length);
            var (previous, index) = (0, 0);
            uint tag;
            while ((tag = input.ReadTag()) != 0 && (Violations?.Count ?? 0) < MaxViolations)
            {
                var number = WireFormat.GetTagFieldNumber(tag);

                // A stream over part of an array counts its position from the start of the array.
                var start = (int)input.Position;
                input.SkipLastField();
                var field = descriptor.FindFieldByNumber(number);
                if (field is null || !IsEncodedAsDeclared(field, WireFormat.GetTagWireType(tag)))
                {
                    Add(
                        UnknownFieldRule,
                        $"carries field number {number}, which {descriptor.FullName} does not define with that encoding in this gateway's contract; fields the gateway cannot check are refused, not passed on");
                    continue;
                }

                // A message encodes the elements of a repeated field one after the other, in order.
                index = number == previous ? index + 1 : 0;
                previous = number;
                if (field.FieldType != FieldType.Message)
                {
                    continue;
                }

                var end = (int)input.Position;
                var body = start + VarintSize(start);
                _path.Add((field, field.IsRepeated ? index : -1));
                if (field.MessageType == Timestamp.Descriptor)
                {
                    CheckTimestamp(body, end - body);
                }

                Message(field.MessageType, body, end - body);
                _path.RemoveAt(_path.Count - 1);
            }
        }

        private void CheckTimestamp(int offset, int length)
        {
            var (seconds, nanos) = (0L, 0);
            var input = new CodedInputStream(bytes, offset, length);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (tag)
                {
                    case 1 << 3:
                        seconds = input.ReadInt64();
                        break;
                    case 2 << 3:
                        nanos = input.ReadInt32();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            if (!IsValid(seconds, nanos))
            {
                Add(TimestampRule, "must be a valid timestamp: seconds from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, nanos from 0 to 999999999");
            }
        }

        /// <summary>The size of the length prefix at <paramref name="offset"/>: a varint ends at the first byte below 0x80.</summary>
        private int VarintSize(int offset)
        {
            var size = 1;
            while (bytes[offset + size - 1] >= 0x80)
            {
                size++;
            }

            return size;
        }

        private void Add(string ruleId, string description)
        {
            var path = new StringBuilder();
            foreach (var (field, index) in _path)
            {
                path.Append(path.Length == 0 ? string.Empty : ".").Append(field.Name);
                if (index >= 0)
                {
                    path.Append('[').Append(index).Append(']');
                }
            }

            (Violations ??= []).Add(new SchemaViolation(path.ToString(), ruleId, description));
        }
    }

    /// <summary>
    /// A field number the contract knows, sent with another wire type, is kept by the parser as an unknown field: it
    /// is as unchecked as a field number the contract does not define.
    /// </summary>
    private static bool IsEncodedAsDeclared(FieldDescriptor field, WireFormat.WireType wireType)
    {
        var declared = field.FieldType switch
        {
            FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
            FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
            FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
            FieldType.Group => WireFormat.WireType.StartGroup,
            _ => WireFormat.WireType.Varint,
        };

        // Repeated numbers may come packed (one length-delimited run) or one by one.
        return wireType == declared || (field.IsRepeated && declared is not WireFormat.WireType.LengthDelimited && wireType == WireFormat.WireType.LengthDelimited);
    }
}
