namespace Gateway.Identity.Operators;

/// <summary>How operators are identified (section <c>Gateway:Operators</c>).</summary>
public sealed class OperatorOptions
{
    public const string Section = "Gateway:Operators";

    /// <summary>Operators present a signed JWT bearer token from the configured issuer.</summary>
    public const string JwtMode = "Jwt";

    /// <summary>Operators name themselves in the <c>x-liaison-operator</c> header; only with development agency identity.</summary>
    public const string DevelopmentMode = "Development";

    /// <summary><see cref="JwtMode"/> or <see cref="DevelopmentMode"/>; unset, it follows <c>Gateway:Identity:Mode</c> (Development there, Jwt otherwise).</summary>
    public string? Mode { get; set; }

    public OperatorJwtOptions Jwt { get; set; } = new();

    public bool IsJwt => string.Equals(Mode, JwtMode, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The token issuer an operator's JWT must come from (section <c>Gateway:Operators:Jwt</c>), as Keycloak or Entra ID configure one.</summary>
public sealed class OperatorJwtOptions
{
    public const string Section = OperatorOptions.Section + ":Jwt";

    /// <summary>The token's <c>iss</c>, exactly, e.g. <c>https://sso.example.police/realms/liaison</c>.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>A value the token's <c>aud</c> must hold, e.g. <c>liaison-gateway</c>.</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>PEM files of the issuer's public keys (EC P-256 or RSA, as a public key or a certificate), re-read when they change.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>The claim holding the operator's roles: a top-level name (<c>roles</c>) or a dotted path into a JSON claim (<c>realm_access.roles</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>How far the issuer's clock may differ from the gateway's when the token's lifetime is checked.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
