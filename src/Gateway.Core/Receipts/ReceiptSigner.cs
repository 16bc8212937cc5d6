using System.Security.Cryptography;
using Interagency.V1;

namespace Gateway.Core.Receipts;

/// <summary>Signs receipts with the gateway's receipt key: sets the key id, then signs the canonical form that includes it.</summary>
public sealed class ReceiptSigner : IDisposable
{
    private readonly ECDsa _key;

    // .NET does not promise that one ECDsa instance may sign on several threads at once; every submitting call signs.
    private readonly Lock _signing = new();

    /// <param name="key">A P-256 private key; the signer owns it from now on.</param>
    public ReceiptSigner(ECDsa key)
    {
        if (!ReceiptKeys.IsP256(key))
        {
            throw new ArgumentException("Receipt keys are ECDSA P-256 keys.", nameof(key));
        }

        _key = key;
        KeyId = ReceiptKeys.KeyId(key);
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>The id every receipt signed here names (<see cref="ReceiptKeys.KeyId"/>).</summary>
    public string KeyId { get; }

    /// <summary>The public key, PEM "PUBLIC KEY" (SubjectPublicKeyInfo), as published for verifiers.</summary>
    public string PublicKeyPem { get; }

    /// <summary>Sets <see cref="Receipt.SigningKeyId"/> and <see cref="Receipt.Signature"/> on <paramref name="receipt"/>.</summary>
    public Receipt Sign(Receipt receipt)
    {
        receipt.SigningKeyId = KeyId;
        var signed = ReceiptCanonicalForm.Encode(receipt);
        byte[] signature;
        lock (_signing)
        {
            signature = _key.SignData(signed, ReceiptKeys.Hash, ReceiptKeys.SignatureFormat);
        }

        receipt.Signature = Google.Protobuf.ByteString.CopyFrom(signature);
        return receipt;
    }

    public void Dispose() => _key.Dispose();
}
