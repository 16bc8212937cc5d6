using Microsoft.Extensions.Options;

namespace Gateway.Encryption;

/// <summary>
/// Refuses data keys that cannot be read, an active key that is not among them, and, in mutual TLS mode, running
/// without any key: a production gateway must never store personal data under a key it made up itself.
/// </summary>
public sealed class EncryptionOptionsValidator(DataKeyLoader loader, IConfiguration configuration) : IValidateOptions<EncryptionOptions>
{
    public const string IdentityModeKey = "Gateway:Identity:Mode";

    public ValidateOptionsResult Validate(string? name, EncryptionOptions options)
    {
        var failures = new List<string>();
        if (options.Keys.Count == 0)
        {
            if (IsMutualTls(configuration))
            {
                failures.Add($"{EncryptionOptions.Section}:Keys is empty, and {IdentityModeKey} is MutualTls: configure the data key personal data is encrypted with (Keys with Id and Path, Environment or Value, and ActiveKey), e.g. the one gatewayctl certs init writes.");
            }
            else if (!string.IsNullOrEmpty(options.ActiveKey))
            {
                failures.Add($"{EncryptionOptions.Section}:ActiveKey is '{options.ActiveKey}' but no Keys are configured.");
            }

            return Result(failures);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            if (loader.Load(options.Keys[i], i).Problem is { } problem)
            {
                failures.Add(problem);
            }

            if (!ids.Add(options.Keys[i].Id))
            {
                failures.Add($"{EncryptionOptions.Section}:Keys:{i}: the id '{options.Keys[i].Id}' is given twice.");
            }
        }

        if (!ids.Contains(options.ActiveKey))
        {
            failures.Add($"{EncryptionOptions.Section}:ActiveKey must be the id of one of the configured Keys ({string.Join(", ", ids)}), not '{options.ActiveKey}'.");
        }

        return Result(failures);
    }

    public static bool IsMutualTls(IConfiguration configuration) =>
        string.Equals(configuration[IdentityModeKey], "MutualTls", StringComparison.OrdinalIgnoreCase);

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
