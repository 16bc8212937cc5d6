namespace Gateway.Identity;

/// <summary>How callers are identified (section <c>Gateway:Identity</c>).</summary>
public sealed class IdentityOptions
{
    public const string Section = "Gateway:Identity";

    /// <summary>Name of the request header that names the calling agency in development mode.</summary>
    public const string AgencyHeader = "x-liaison-agency";

    /// <summary>Name of the request header that names the calling operator in development mode.</summary>
    public const string OperatorHeader = "x-liaison-operator";

    public const string DevelopmentMode = "Development";

    /// <summary>
    /// "Development": the caller names its agency, or an operator its name, in a header. Insecure, so only allowed on loopback.
    /// Mutual TLS is the production mode (a later issue).
    /// </summary>
    public string Mode { get; set; } = DevelopmentMode;

    public bool IsDevelopment => string.Equals(Mode, DevelopmentMode, StringComparison.OrdinalIgnoreCase);
}
