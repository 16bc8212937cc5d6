namespace Gateway.Identity;

/// <summary>
/// How callers are identified (section <c>Gateway:Identity</c>). Development mode is the only one implemented and
/// <see cref="Hosting.ListenGuard"/> refuses any other <c>Mode</c> before the host is built, so nothing downstream
/// asks which mode runs; mutual TLS, the production mode, is a later issue.
/// </summary>
public static class IdentityOptions
{
    public const string Section = "Gateway:Identity";

    /// <summary>The one identity mode available: the caller names its agency, or an operator its name, in a header. Insecure, so loopback only.</summary>
    public const string DevelopmentMode = "Development";

    /// <summary>Name of the request header that names the calling agency in development mode.</summary>
    public const string AgencyHeader = "x-liaison-agency";

    /// <summary>Name of the request header that names the calling operator in development mode.</summary>
    public const string OperatorHeader = "x-liaison-operator";
}
