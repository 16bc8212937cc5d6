using Google.Protobuf;
using Interagency.V1;

namespace Gateway.FunctionalTests.Receipts;

internal static class ReceiptFields
{
    /// <summary>
    /// A copy without its signature. A replay's receipt is signed again, and ECDSA signatures are randomised: "the same
    /// receipt" means the same signed fields, each copy with its own valid signature.
    /// </summary>
    public static Receipt SignedFields(this Receipt receipt)
    {
        var fields = receipt.Clone();
        fields.Signature = ByteString.Empty;
        return fields;
    }
}
