using System.Security.Cryptography;
using Gateway.Core.Receipts;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Core.Tests.Receipts;

public sealed class ReceiptSignatureTests : IDisposable
{
    private readonly ReceiptSigner _signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private readonly ECDsa _public = ECDsa.Create();

    public ReceiptSignatureTests() => _public.ImportFromPem(_signer.PublicKeyPem);

    public void Dispose()
    {
        _signer.Dispose();
        _public.Dispose();
    }

    private static Receipt Unsigned() => new()
    {
        MessageId = "6f1c8a52-1d4e-4c1b-9a8e-2f0b7d3c9e11",
        ResolvedRecipients = { "CN/FJPSD", "RU/MVD", "TH/RTP" },
        AcceptedAt = new Timestamp { Seconds = 1_796_000_000, Nanos = 123_456_000 },
        AuditSequence = 4711,
        State = MessageState.Accepted,
        ContentHash = ByteString.CopyFrom(SHA256.HashData("referral"u8)),
    };

    /// <summary>Every signed field, each with one change to it.</summary>
    public static TheoryData<string> Changes => new(SignedFieldChanges.Keys);

    private static readonly Dictionary<string, Action<Receipt>> SignedFieldChanges = new()
    {
        ["message_id"] = r => r.MessageId = "6f1c8a52-1d4e-4c1b-9a8e-2f0b7d3c9e12",
        ["message_id emptied"] = r => r.MessageId = string.Empty,
        ["content_hash one bit"] = r => r.ContentHash = ByteString.CopyFrom(FlipFirstBit(r.ContentHash.ToByteArray())),
        ["resolved_recipients order"] = r =>
        {
            var swapped = new[] { r.ResolvedRecipients[1], r.ResolvedRecipients[0], r.ResolvedRecipients[2] };
            r.ResolvedRecipients.Clear();
            r.ResolvedRecipients.Add(swapped);
        },
        ["resolved_recipients one added"] = r => r.ResolvedRecipients.Add("AR/PFA"),
        ["resolved_recipients one removed"] = r => r.ResolvedRecipients.RemoveAt(2),
        ["resolved_recipients one changed"] = r => r.ResolvedRecipients[1] = "RU/FSB",
        ["resolved_recipients split differently"] = r =>
        {
            // Same characters, one boundary moved: only the length prefixes tell the two apart.
            r.ResolvedRecipients.Clear();
            r.ResolvedRecipients.Add(["CN/FJPSDR", "U/MVD", "TH/RTP"]);
        },
        ["accepted_at seconds"] = r => r.AcceptedAt.Seconds += 1,
        ["accepted_at nanos"] = r => r.AcceptedAt.Nanos += 1,
        ["audit_sequence"] = r => r.AuditSequence += 1,
        ["state"] = r => r.State = MessageState.HeldForReview,
        ["signing_key_id"] = r => r.SigningKeyId = new string('0', 64),
    };

    [Fact]
    public void A_signed_receipt_verifies_with_the_signers_public_key()
    {
        var receipt = _signer.Sign(Unsigned());

        var result = ReceiptVerifier.Verify(receipt, [_public]);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(_signer.KeyId, result.KeyId);
        Assert.Equal(_signer.KeyId, receipt.SigningKeyId);
    }

    [Fact]
    public async Task Receipts_signed_on_many_threads_at_once_all_verify()
    {
        using var start = new Barrier(8);
        var signing = Enumerable.Range(0, 8).Select(thread => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Enumerable.Range(0, 50).Select(i =>
                {
                    var receipt = Unsigned();
                    receipt.AuditSequence = (ulong)(thread * 1000 + i);
                    return _signer.Sign(receipt);
                }).ToList();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();

        var receipts = (await Task.WhenAll(signing)).SelectMany(r => r).ToList();

        Assert.Equal(400, receipts.Count);
        Assert.All(receipts, r => Assert.True(ReceiptVerifier.Verify(r, [_public]).IsValid));
    }

    [Fact]
    public void A_signer_disposed_twice_does_not_throw()
    {
        var signer = new ReceiptSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        signer.Sign(Unsigned());

        signer.Dispose();
        var again = Record.Exception(signer.Dispose);

        Assert.Null(again);
    }

    [Fact]
    public void The_key_id_is_the_hex_SHA256_of_the_public_keys_SubjectPublicKeyInfo()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(_public.ExportSubjectPublicKeyInfo()));

        Assert.Equal(expected, _signer.KeyId);
        Assert.Equal(64, _signer.KeyId.Length);
    }

    [Fact]
    public void The_signature_is_DER_and_checks_with_the_plain_ECDsa_API_over_the_canonical_form()
    {
        var receipt = _signer.Sign(Unsigned());

        Assert.Equal(0x30, receipt.Signature[0]);
        Assert.True(_public.VerifyData(
            ReceiptCanonicalForm.Encode(receipt), receipt.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void Changing_any_signed_field_after_signing_fails_verification(string change)
    {
        var receipt = _signer.Sign(Unsigned());
        SignedFieldChanges[change](receipt);

        var result = ReceiptVerifier.Verify(receipt, [_public]);

        Assert.False(result.IsValid);
        Assert.Contains(result.FailedCheck, new[] { "signature", "signing_key_id" });
    }

    [Fact]
    public void The_table_changes_every_field_of_the_receipt_but_the_signature()
    {
        // A field added to Receipt later must be signed and get a row above, or be named here as unsigned.
        var changed = SignedFieldChanges.Keys.Select(k => k.Split(' ')[0]).ToHashSet();
        var fields = Receipt.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).Where(n => n != "signature");

        Assert.All(fields, field => Assert.Contains(field, changed));
    }

    [Fact]
    public void Each_signed_field_changes_the_canonical_form()
    {
        var original = ReceiptCanonicalForm.Encode(Unsigned());
        foreach (var (name, change) in SignedFieldChanges)
        {
            var receipt = Unsigned();
            change(receipt);
            Assert.False(original.AsSpan().SequenceEqual(ReceiptCanonicalForm.Encode(receipt)), name);
        }
    }

    [Fact]
    public void The_canonical_form_starts_with_its_version_and_leaves_the_signature_out()
    {
        var receipt = Unsigned();
        var before = ReceiptCanonicalForm.Encode(receipt);
        receipt.Signature = ByteString.CopyFrom(1, 2, 3);

        Assert.Equal("LGR1"u8.ToArray(), before[..4]);
        Assert.Equal(before, ReceiptCanonicalForm.Encode(receipt));
    }

    [Fact]
    public void Signing_the_same_fields_twice_gives_two_signatures_that_both_verify()
    {
        var first = _signer.Sign(Unsigned());
        var second = _signer.Sign(Unsigned());

        Assert.NotEqual(first.Signature, second.Signature);
        Assert.True(ReceiptVerifier.Verify(first, [_public]).IsValid);
        Assert.True(ReceiptVerifier.Verify(second, [_public]).IsValid);
    }

    [Fact]
    public void A_receipt_signed_by_another_key_that_claims_this_keys_id_fails_on_the_signature()
    {
        using var other = new ReceiptSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var forged = other.Sign(Unsigned());
        forged.SigningKeyId = _signer.KeyId;

        var result = ReceiptVerifier.Verify(forged, [_public]);

        Assert.False(result.IsValid);
        Assert.Equal("signature", result.FailedCheck);
    }

    [Fact]
    public void A_receipt_whose_key_is_not_given_fails_naming_its_key_id()
    {
        using var other = new ReceiptSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        var result = ReceiptVerifier.Verify(other.Sign(Unsigned()), [_public]);

        Assert.Equal("signing_key_id", result.FailedCheck);
        Assert.Contains(other.KeyId, result.Problem);
    }

    [Fact]
    public void Among_several_keys_the_one_the_receipt_names_is_used()
    {
        using var retired = new ReceiptSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        using var retiredPublic = ECDsa.Create();
        retiredPublic.ImportFromPem(retired.PublicKeyPem);

        var result = ReceiptVerifier.Verify(retired.Sign(Unsigned()), [_public, retiredPublic]);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(retired.KeyId, result.KeyId);
    }

    [Fact]
    public void An_unsigned_receipt_fails_as_unsigned()
    {
        Assert.Equal("unsigned", ReceiptVerifier.Verify(Unsigned(), [_public]).FailedCheck);
    }

    [Fact]
    public void A_content_hash_that_is_not_32_bytes_fails_as_such()
    {
        var receipt = _signer.Sign(Unsigned());
        receipt.ContentHash = ByteString.CopyFrom(new byte[31]);

        Assert.Equal("content_hash", ReceiptVerifier.Verify(receipt, [_public]).FailedCheck);
    }

    [Fact]
    public void A_key_on_another_curve_is_refused_for_signing()
    {
        Assert.Throws<ArgumentException>(() => new ReceiptSigner(ECDsa.Create(ECCurve.NamedCurves.nistP384)));
    }

    private static byte[] FlipFirstBit(byte[] bytes)
    {
        bytes[0] ^= 1;
        return bytes;
    }
}
