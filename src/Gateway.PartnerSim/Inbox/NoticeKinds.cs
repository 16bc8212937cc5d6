using Google.Protobuf.Reflection;
using Interagency.V1;

namespace Gateway.PartnerSim.Inbox;

/// <summary>Contract enum values as the inbox and logs write them: the proto name without its prefix, in lower case.</summary>
public static class NoticeKinds
{
    /// <summary><c>delivery_refused</c> for NOTICE_KIND_DELIVERY_REFUSED.</summary>
    public static string Name(NoticeKind kind) => Name(DeliveryNotice.Descriptor.FindFieldByNumber(DeliveryNotice.KindFieldNumber).EnumType, (int)kind);

    /// <summary><c>legal_grounds</c> for ENDPOINT_REFUSAL_REASON_LEGAL_GROUNDS.</summary>
    public static string Name(EndpointRefusalReason reason) =>
        Name(EndpointRefusal.Descriptor.FindFieldByNumber(EndpointRefusal.ReasonFieldNumber).EnumType, (int)reason);

    private static string Name(EnumDescriptor type, int number)
    {
        var prefix = type.Values[0].Name[..(type.Values[0].Name.Length - "UNSPECIFIED".Length)];
        return type.FindValueByNumber(number)?.Name[prefix.Length..].ToLowerInvariant() ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
