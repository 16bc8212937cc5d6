using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Cli.Output;
using Gateway.Core.Receipts;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>verify-receipt RECEIPT.json --key KEYS.pem</c>: checks a receipt's signature offline, with Core's verifier, against
/// the gateway's published receipt keys. Exit codes: 0 valid, 1 invalid (the check that failed is named), 2 nothing to
/// check (a file missing or unreadable, no key in the key file).
/// </summary>
internal static class VerifyReceiptCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command(
            "verify-receipt",
            "Check offline that a receipt was signed by the gateway and not changed since; exit code 1 when it was not");
        var file = new Argument<FileInfo>("RECEIPT.json")
        {
            Description = "The receipt in the proto's JSON form, or a response that holds one in \"receipt\" (what --json prints)",
        };
        var keys = new Option<FileInfo[]>("--key")
        {
            Description = "The gateway's published receipt keys (PEM, one or more PUBLIC KEY blocks, e.g. its receipt-keys.pem); may be repeated",
            HelpName = "PUBLIC.pem",
            Required = true,
        };
        command.Add(file);
        command.Add(keys);
        CliContext.Bind(command, global, async cli =>
        {
            Receipt receipt;
            List<ECDsa> publicKeys;
            try
            {
                receipt = ReadReceipt(await File.ReadAllTextAsync(cli.Get(file).FullName, cli.Cancellation));
                publicKeys = await ReadKeysAsync(cli.Get(keys) ?? [], cli.Cancellation);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await cli.Error.WriteLineAsync($"gatewayctl: {error.Message}");
                return GatewayCtl.BadCommandLine;
            }

            try
            {
                return await ReportAsync(cli, receipt, ReceiptVerifier.Verify(receipt, publicKeys));
            }
            finally
            {
                publicKeys.ForEach(k => k.Dispose());
            }
        });
        return command;
    }

    private static async Task<int> ReportAsync(CliContext cli, Receipt receipt, ReceiptVerification result)
    {
        if (cli.Json)
        {
            await cli.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                valid = result.IsValid,
                messageId = receipt.MessageId,
                keyId = result.IsValid ? result.KeyId : receipt.SigningKeyId,
                failedCheck = result.FailedCheck,
                problem = result.Problem,
            }));
        }
        else if (result.IsValid)
        {
            await cli.Out.WriteLineAsync($"receipt VALID: message {receipt.MessageId} accepted at {receipt.AcceptedAt?.ToDateTimeOffset():O}, signed by receipt key {result.KeyId}");
        }
        else
        {
            await cli.Out.WriteLineAsync($"receipt INVALID ({result.FailedCheck}): {result.Problem}");
        }

        return result.IsValid ? GatewayCtl.Done : GatewayCtl.Refused;
    }

    private static Receipt ReadReceipt(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var receipt = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("receipt", out var inner)
                ? inner.GetRawText()
                : json;
            return ProtoJson.Parser.Parse<Receipt>(receipt);
        }
        catch (Exception error) when (error is JsonException or InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"The receipt file is not a receipt in the proto's JSON form: {error.Message}", error);
        }
    }

    /// <summary>Every PUBLIC KEY block of every file: a published key file holds the current key and the retired ones.</summary>
    private static async Task<List<ECDsa>> ReadKeysAsync(FileInfo[] files, CancellationToken cancellationToken)
    {
        var keys = new List<ECDsa>();
        foreach (var file in files)
        {
            var pem = (await File.ReadAllTextAsync(file.FullName, cancellationToken)).AsMemory();
            var found = 0;
            while (PemEncoding.TryFind(pem.Span, out var fields))
            {
                if (pem.Span[fields.Label].SequenceEqual("PUBLIC KEY"))
                {
                    var key = ECDsa.Create();
                    try
                    {
                        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(pem.Span[fields.Base64Data].ToString()), out _);
                    }
                    catch (CryptographicException error)
                    {
                        key.Dispose();
                        throw new InvalidDataException($"{file.Name} holds a PUBLIC KEY that is not an ECDSA key: {error.Message}", error);
                    }

                    keys.Add(key);
                    found++;
                }

                pem = pem[fields.Location.End..];
            }

            if (found == 0)
            {
                throw new InvalidDataException($"{file.Name} holds no PEM PUBLIC KEY; give the gateway's published receipt keys (its receipt-keys.pem).");
            }
        }

        return keys;
    }
}
