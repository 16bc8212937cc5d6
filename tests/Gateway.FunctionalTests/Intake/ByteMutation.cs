using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf.Reflection;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// A change to the encoding of a valid message, as a fuzzer would make it. Positions and lengths are drawn without
/// knowing the message and taken modulo its length, so one generator serves every message type and a failing case
/// prints as a short list of edits.
/// </summary>
public abstract record ByteMutation
{
    public abstract byte[] Apply(byte[] bytes);

    /// <summary>
    /// One to three edits of an encoded <paramref name="type"/>; most break the encoding or a rule, a few leave the
    /// message as valid as it was. Fields are set at the paths the type defines (and sometimes at one it does not).
    /// </summary>
    public static Arbitrary<ByteMutation[]> For(MessageDescriptor type) =>
        Arb.From(Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(One(type), n)));

    private static Gen<ByteMutation> One(MessageDescriptor type)
    {
        var position = Gen.Choose(0, int.MaxValue);
        var length = Gen.Choose(1, 16);
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Where(b => b.Length is > 0 and <= 16);
        return Gen.Frequency(
            (1, position.Zip(Gen.Choose(0, 7), (p, bit) => (ByteMutation)new FlipBit(p, bit))),
            (1, position.Zip(bytes, (p, b) => (ByteMutation)new Insert(p, b))),
            (1, position.Zip(length, (p, l) => (ByteMutation)new Delete(p, l))),
            (1, position.Select(p => (ByteMutation)new Truncate(p))),
            (1, position.Zip(length, (p, l) => (ByteMutation)new Duplicate(p, l))),
            (3, SetField.Generator(type)));
    }

    private static int At(int position, byte[] bytes) => bytes.Length == 0 ? 0 : position % bytes.Length;

    public sealed record FlipBit(int Position, int Bit) : ByteMutation
    {
        public override byte[] Apply(byte[] bytes)
        {
            var copy = bytes.ToArray();
            if (copy.Length > 0)
            {
                copy[At(Position, copy)] ^= (byte)(1 << Bit);
            }

            return copy;
        }
    }

    public sealed record Insert(int Position, byte[] Bytes) : ByteMutation
    {
        public override byte[] Apply(byte[] bytes) => [.. bytes[..At(Position, bytes)], .. Bytes, .. bytes[At(Position, bytes)..]];

        public override string ToString() => $"Insert {{ Position = {Position}, Bytes = {Convert.ToHexString(Bytes)} }}";
    }

    public sealed record Delete(int Position, int Length) : ByteMutation
    {
        public override byte[] Apply(byte[] bytes)
        {
            var start = At(Position, bytes);
            return [.. bytes[..start], .. bytes[Math.Min(bytes.Length, start + Length)..]];
        }
    }

    public sealed record Truncate(int Position) : ByteMutation
    {
        public override byte[] Apply(byte[] bytes) => bytes[..At(Position, bytes)];
    }

    /// <summary>Repeats a run of bytes in place: where it starts at a tag, a field is sent twice (proto3 keeps the last scalar, merges messages, appends to lists).</summary>
    public sealed record Duplicate(int Position, int Length) : ByteMutation
    {
        public override byte[] Apply(byte[] bytes)
        {
            var start = At(Position, bytes);
            var run = bytes[start..Math.Min(bytes.Length, start + Length)];
            return [.. bytes[..start], .. run, .. run, .. bytes[start..]];
        }
    }

    /// <summary>
    /// Appends a field at a path of field numbers. Message fields sent again are merged, so this sets a nested field of
    /// the message, e.g. path 1.5.1 is header.created_at.seconds, to an extreme value or to a value of another wire type.
    /// </summary>
    public sealed record SetField(int[] Path, int WireType, ulong Value) : ByteMutation
    {
        private static readonly ulong[] Extremes =
        [
            0, 1, unchecked((ulong)-1L), int.MaxValue, unchecked((ulong)int.MinValue), long.MaxValue, unchecked((ulong)long.MinValue),
            253_402_300_800, unchecked((ulong)-62_135_596_801L), 1_000_000_000,
        ];

        public static Gen<ByteMutation> Generator(MessageDescriptor type)
        {
            var paths = Paths(type, [], 0).ToArray();
            var declared =
                from path in Gen.Elements(paths)
                from value in Gen.Elements(Extremes)
                select (ByteMutation)new SetField(path.Numbers, path.WireType, value);
            var undeclared =
                from path in Gen.Elements(paths)
                from number in Gen.Choose(1, 40)
                from wireType in Gen.Elements(0, 1, 2, 5)
                from value in Gen.Elements(Extremes)
                select (ByteMutation)new SetField([.. path.Numbers[..^1], number], wireType, value);
            return Gen.Frequency((3, declared), (1, undeclared));
        }

        /// <summary>Every field reachable from <paramref name="type"/>, by its path of field numbers and the wire type it is declared with.</summary>
        private static IEnumerable<(int[] Numbers, int WireType)> Paths(MessageDescriptor type, int[] prefix, int depth)
        {
            foreach (var field in type.Fields.InFieldNumberOrder())
            {
                int[] path = [.. prefix, field.FieldNumber];
                var wireType = field.FieldType switch
                {
                    FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => 1,
                    FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => 5,
                    FieldType.String or FieldType.Bytes or FieldType.Message => 2,
                    _ => 0,
                };
                yield return (path, wireType);
                if (field.FieldType == FieldType.Message && depth < 5)
                {
                    foreach (var nested in Paths(field.MessageType, path, depth + 1))
                    {
                        yield return nested;
                    }
                }
            }
        }

        public override byte[] Apply(byte[] bytes)
        {
            var field = Leaf();
            for (var i = Path.Length - 2; i >= 0; i--)
            {
                field = [.. Varint(((ulong)Path[i] << 3) | 2), .. Varint((ulong)field.Length), .. field];
            }

            return [.. bytes, .. field];
        }

        public override string ToString() => $"SetField {{ Path = {string.Join('.', Path)}, WireType = {WireType}, Value = {Value} }}";

        private byte[] Leaf()
        {
            var tag = Varint(((ulong)Path[^1] << 3) | (uint)WireType);
            return WireType switch
            {
                0 => [.. tag, .. Varint(Value)],
                1 => [.. tag, .. BitConverter.GetBytes(Value)],
                5 => [.. tag, .. BitConverter.GetBytes((uint)Value)],
                _ => [.. tag, .. Varint(Value % 64), .. Enumerable.Repeat((byte)'A', (int)(Value % 64))],
            };
        }

        private static byte[] Varint(ulong value)
        {
            var bytes = new List<byte>();
            do
            {
                bytes.Add((byte)((value & 0x7F) | (value >= 0x80 ? 0x80UL : 0)));
                value >>= 7;
            }
            while (value != 0);
            return [.. bytes];
        }
    }
}
