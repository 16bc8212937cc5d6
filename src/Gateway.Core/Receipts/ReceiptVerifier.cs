using System.Security.Cryptography;
using Interagency.V1;

namespace Gateway.Core.Receipts;

/// <summary>Checks a receipt's signature against known public keys, naming the first check that fails.</summary>
public static class ReceiptVerifier
{
    /// <summary>The length of a SHA-256 content hash.</summary>
    public const int ContentHashLength = 32;

    /// <param name="publicKeys">The receipt keys the verifier trusts: the gateway's current one and any it retired.</param>
    public static ReceiptVerification Verify(Receipt receipt, IEnumerable<ECDsa> publicKeys)
    {
        if (receipt.Signature.IsEmpty)
        {
            return ReceiptVerification.Failed("unsigned", "the receipt carries no signature");
        }

        if (receipt.AcceptedAt is null)
        {
            return ReceiptVerification.Failed("accepted_at", "the receipt has no accepted_at, which the signature covers");
        }

        if (receipt.ContentHash.Length != ContentHashLength)
        {
            return ReceiptVerification.Failed("content_hash", $"the content hash is {receipt.ContentHash.Length} bytes, not the {ContentHashLength} of a SHA-256");
        }

        var key = publicKeys.FirstOrDefault(k => ReceiptKeys.KeyId(k) == receipt.SigningKeyId);
        if (key is null)
        {
            return ReceiptVerification.Failed(
                "signing_key_id", $"the receipt names signing key '{receipt.SigningKeyId}', which is none of the keys given");
        }

        return key.VerifyData(ReceiptCanonicalForm.Encode(receipt), receipt.Signature.Span, ReceiptKeys.Hash, ReceiptKeys.SignatureFormat)
            ? ReceiptVerification.Valid(receipt.SigningKeyId)
            : ReceiptVerification.Failed(
                "signature", "the signature does not match the signed fields: a field was changed after signing, or another key signed it");
    }
}

/// <summary>The outcome of <see cref="ReceiptVerifier.Verify"/>: valid under a key, or the check that failed and why.</summary>
public sealed record ReceiptVerification(bool IsValid, string? KeyId, string? FailedCheck, string? Problem)
{
    public static ReceiptVerification Valid(string keyId) => new(true, keyId, null, null);

    public static ReceiptVerification Failed(string check, string problem) => new(false, null, check, problem);
}
