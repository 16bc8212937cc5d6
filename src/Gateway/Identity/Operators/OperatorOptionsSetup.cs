using Microsoft.Extensions.Options;

namespace Gateway.Identity.Operators;

/// <summary>An unset <c>Gateway:Operators:Mode</c> follows the agency identity: Development with Development, Jwt otherwise.</summary>
public sealed class OperatorOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<OperatorOptions>
{
    public void PostConfigure(string? name, OperatorOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Mode))
        {
            options.Mode = IsDevelopmentIdentity(configuration) ? OperatorOptions.DevelopmentMode : OperatorOptions.JwtMode;
        }
    }

    /// <summary>Whether agencies are identified in development mode (<c>Gateway:Identity:Mode</c>, Development when unset).</summary>
    public static bool IsDevelopmentIdentity(IConfiguration configuration) => string.Equals(
        configuration[$"{IdentityOptions.Section}:Mode"] ?? IdentityOptions.DevelopmentMode, IdentityOptions.DevelopmentMode, StringComparison.OrdinalIgnoreCase);
}
