using Microsoft.Extensions.Options;

namespace Gateway.Identity.Operators;

/// <summary>
/// Refuses operator settings that would let anyone be an operator or nobody: development operators beside production
/// agency identity, and a JWT issuer, audience or signing key that is missing or unreadable.
/// </summary>
public sealed class OperatorOptionsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<OperatorOptions>
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var failures = new List<string>();
        var identityMode = configuration[$"{IdentityOptions.Section}:Mode"] ?? IdentityOptions.DevelopmentMode;
        if (string.Equals(options.Mode, OperatorOptions.DevelopmentMode, StringComparison.OrdinalIgnoreCase))
        {
            if (!OperatorOptionsSetup.IsDevelopmentIdentity(configuration))
            {
                failures.Add(
                    $"{OperatorOptions.Section}:Mode '{OperatorOptions.DevelopmentMode}' (operators named in the '{IdentityOptions.OperatorHeader}' header) is refused with "
                    + $"{IdentityOptions.Section}:Mode '{identityMode}': set {OperatorOptions.Section}:Mode to '{OperatorOptions.JwtMode}' (or leave it unset) and configure {OperatorJwtOptions.Section}.");
            }
        }
        else if (options.IsJwt)
        {
            ValidateJwt(failures, options.Jwt);
        }
        else
        {
            failures.Add($"{OperatorOptions.Section}:Mode '{options.Mode}' is not a mode: use '{OperatorOptions.JwtMode}' or '{OperatorOptions.DevelopmentMode}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateJwt(List<string> failures, OperatorJwtOptions jwt)
    {
        const string Section = OperatorJwtOptions.Section;
        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            failures.Add($"{Section}:Issuer is required: the 'iss' of operator tokens, e.g. https://sso.example.police/realms/liaison.");
        }

        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            failures.Add($"{Section}:Audience is required: the 'aud' operator tokens are issued for, e.g. liaison-gateway.");
        }

        if (string.IsNullOrWhiteSpace(jwt.RoleClaim) || jwt.RoleClaim.Split('.').Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Section}:RoleClaim must name a claim (roles) or a dotted path into one (realm_access.roles).");
        }

        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > MaxClockSkew)
        {
            failures.Add($"{Section}:ClockSkew must be between 00:00:00 and {MaxClockSkew}, e.g. 00:00:30.");
        }

        if (jwt.SigningKeys.Count == 0)
        {
            failures.Add($"{Section}:SigningKeys must list at least one PEM file of the issuer's public key.");
        }

        for (var i = 0; i < jwt.SigningKeys.Count; i++)
        {
            try
            {
                OperatorSigningKeys.Read(OperatorSigningKeys.Resolve(environment, jwt.SigningKeys[i]));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
            {
                failures.Add($"{Section}:SigningKeys:{i} ('{jwt.SigningKeys[i]}') cannot be used: {error.Message}");
            }
        }
    }
}
