using System.Security.Cryptography;
using Interagency.V1;

namespace Gateway.Core.Receipts;

/// <summary>Signs receipts with the gateway's receipt key: sets the key id, then signs the canonical form that includes it.</summary>
public sealed class ReceiptSigner : IDisposable
{
    // .NET does not promise that one ECDsa instance may sign on several threads at once, and every submitting call
    // signs (about 25 µs of CPU): one lock capped signing at ~35,000/s on 2 cores against ~60,000/s with a copy of the
    // key per thread, and made concurrent intake calls queue behind each other.
    private readonly ThreadLocal<ECDsa> _perThread;

    private int _disposed;

    /// <param name="key">A P-256 private key; the signer owns it from now on.</param>
    public ReceiptSigner(ECDsa key)
    {
        if (!ReceiptKeys.IsP256(key))
        {
            throw new ArgumentException("Receipt keys are ECDSA P-256 keys.", nameof(key));
        }

        KeyId = ReceiptKeys.KeyId(key);
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        var parameters = key.ExportParameters(includePrivateParameters: true);
        key.Dispose();
        _perThread = new ThreadLocal<ECDsa>(() => ECDsa.Create(parameters), trackAllValues: true);
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
        var signature = _perThread.Value!.SignData(signed, ReceiptKeys.Hash, ReceiptKeys.SignatureFormat);
        receipt.Signature = Google.Protobuf.ByteString.CopyFrom(signature);
        return receipt;
    }

    // Idempotent: the keyring that loads the signer disposes it, and so does a container that was handed it by a factory.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var copy in _perThread.Values)
        {
            copy.Dispose();
        }

        _perThread.Dispose();
    }
}
