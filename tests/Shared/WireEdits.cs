using Google.Protobuf;

namespace Gateway.Tests.Shared;

/// <summary>Messages changed on the wire in ways the generated API cannot express.</summary>
public static class WireEdits
{
    /// <summary>The message as parsed from its encoding followed by a length-delimited field number the contract does not define.</summary>
    public static T WithExtraField<T>(T message, int number, byte[] value)
        where T : IMessage
    {
        using var extra = new MemoryStream();
        var output = new CodedOutputStream(extra);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
        output.Flush();
        return (T)message.Descriptor.Parser.ParseFrom([.. message.ToByteArray(), .. extra.ToArray()]);
    }
}
