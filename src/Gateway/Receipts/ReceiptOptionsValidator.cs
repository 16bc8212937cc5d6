using Gateway.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.Receipts;

/// <summary>
/// A gateway that agencies reach over mutual TLS signs with a key its operators keep: a key it generated itself would
/// change with a lost data folder, and the receipts it signed could no longer be checked.
/// </summary>
/// <param name="identityMode">The configured <c>Gateway:Identity:Mode</c>; null means Development, the default.</param>
public sealed class ReceiptOptionsValidator(string? identityMode) : IValidateOptions<ReceiptOptions>
{
    public ValidateOptionsResult Validate(string? name, ReceiptOptions options)
    {
        var failures = new List<string>();
        var development = identityMode is null || string.Equals(identityMode, IdentityOptions.DevelopmentMode, StringComparison.OrdinalIgnoreCase);
        if (!development && string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            failures.Add(
                $"{ReceiptOptions.Section}:SigningKeyPath is required when {IdentityOptions.Section}:Mode is '{identityMode}': " +
                "set it to an ECDSA P-256 private key in PKCS#8 PEM that you keep (gatewayctl certs init writes one), " +
                "so that every receipt the gateway signs stays verifiable.");
        }

        for (var i = 0; i < options.RetiredPublicKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.RetiredPublicKeys[i]))
            {
                failures.Add($"{ReceiptOptions.Section}:RetiredPublicKeys:{i} is empty; give the path of a retired receipt key's public key (PEM) or remove the entry.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
