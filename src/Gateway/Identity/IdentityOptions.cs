namespace Gateway.Identity;

/// <summary>
/// How callers are identified (section <c>Gateway:Identity</c>): <see cref="DevelopmentMode"/> (the default) or
/// <see cref="MutualTlsMode"/>. <see cref="Hosting.ListenGuard"/> refuses any other <c>Mode</c> before the host is built.
/// </summary>
public static class IdentityOptions
{
    public const string Section = "Gateway:Identity";

    /// <summary>The caller names its agency, or an operator its name, in a header. Insecure, so loopback only.</summary>
    public const string DevelopmentMode = "Development";

    /// <summary>Each agency is who its client certificate says (<see cref="MutualTlsOptions"/>); HTTPS only, any address.</summary>
    public const string MutualTlsMode = "MutualTls";

    /// <summary>Name of the request header that names the calling agency in development mode.</summary>
    public const string AgencyHeader = "x-liaison-agency";

    /// <summary>Name of the request header that names the calling operator in development mode.</summary>
    public const string OperatorHeader = "x-liaison-operator";

    /// <summary>The configured mode, <see cref="DevelopmentMode"/> when none is.</summary>
    public static string Mode(IConfiguration configuration) => configuration[$"{Section}:Mode"] ?? DevelopmentMode;

    public static bool IsMutualTls(IConfiguration configuration) =>
        string.Equals(Mode(configuration), MutualTlsMode, StringComparison.OrdinalIgnoreCase);
}
