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
        List<SchemaViolation>? violations = null;
        Walk(message.Descriptor, bytes, 0, bytes.Length, string.Empty, ref violations);
        return violations;
    }

    private static void Walk(MessageDescriptor descriptor, byte[] bytes, int offset, int length, string path, ref List<SchemaViolation>? violations)
    {
        var input = new CodedInputStream(bytes, offset, length);
        var (previous, index) = (0, 0);
        uint tag;
        while ((tag = input.ReadTag()) != 0 && (violations?.Count ?? 0) < MaxViolations)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            // A stream over part of an array counts its position from the start of the array.
            var start = (int)input.Position;
            input.SkipLastField();
            var field = descriptor.FindFieldByNumber(number);
            if (field is null || !IsEncodedAsDeclared(field, WireFormat.GetTagWireType(tag)))
            {
                (violations ??= []).Add(new SchemaViolation(
                    path,
                    UnknownFieldRule,
                    $"carries field number {number}, which {descriptor.FullName} does not define with that encoding in this gateway's contract; fields the gateway cannot check are refused, not passed on"));
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
            var bodyLength = new CodedInputStream(bytes, start, end - start).ReadLength();
            var fieldPath = (path.Length == 0 ? field.Name : $"{path}.{field.Name}") + (field.IsRepeated ? $"[{index}]" : string.Empty);
            if (field.MessageType == Timestamp.Descriptor && !IsValid(Timestamp.Parser.ParseFrom(bytes, end - bodyLength, bodyLength)))
            {
                (violations ??= []).Add(new SchemaViolation(
                    fieldPath,
                    TimestampRule,
                    "must be a valid timestamp: seconds from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, nanos from 0 to 999999999"));
            }

            Walk(field.MessageType, bytes, end - bodyLength, bodyLength, fieldPath, ref violations);
        }
    }

    private static bool IsValid(Timestamp timestamp) =>
        timestamp.Seconds is >= MinSeconds and <= MaxSeconds && timestamp.Nanos is >= 0 and <= MaxNanos;

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
