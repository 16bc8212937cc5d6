using Interagency.V1;

namespace Gateway.PartnerSim.Inbox;

/// <summary>The payload's kind as its proto field name (<c>referral</c>, <c>location_request</c>, ...).</summary>
public static class PayloadKind
{
    public const string None = "none";

    // PayloadOneofCase values are the field numbers of the oneof's fields.
    public static string Of(DeliverRequest delivery) =>
        DeliverRequest.Descriptor.FindFieldByNumber((int)delivery.PayloadCase)?.Name ?? None;
}
