namespace Gateway.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Mutual TLS identity: agencies are identified by their client certificates, {Anchors} trust anchors, {Lists} revocation lists, {Pinned} registered agency certificates")]
    public static partial void MutualTlsIdentity(ILogger logger, int anchors, int lists, int pinned);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Server certificate loaded from {Path}: SHA-256 {Thumbprint}, valid until {NotAfter:O}")]
    public static partial void ServerCertificateLoaded(ILogger logger, string path, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "The server certificate in {Path} could not be read ({Error}); the last good one stays in use")]
    public static partial void ServerCertificateKept(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Agency trust reloaded: {Anchors} trust anchors, {Lists} revocation lists")]
    public static partial void TrustReloaded(ILogger logger, int anchors, int lists);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "The trust file {Path} (from {Setting}) could not be read ({Error}); what it held before stays in use")]
    public static partial void TrustFileKept(ILogger logger, string path, string setting, string error);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Warning, Message = "The revocation list {Path} is past its next update ({NextUpdate:O}); its revocations still apply, ask its issuer for a newer one")]
    public static partial void RevocationListStale(ILogger logger, string path, DateTimeOffset nextUpdate);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Information, Message = "Agency certificates pinned: {Pinned} registered certificates")]
    public static partial void CertificatesPinned(ILogger logger, int pinned);

    [LoggerMessage(EventId = 9008, Level = LogLevel.Warning, Message = "The registered certificate {Path} of {Agency} could not be read ({Error}); the agency cannot call until it can")]
    public static partial void RegisteredCertificateUnreadable(ILogger logger, string path, string agency, string error);

    [LoggerMessage(EventId = 9009, Level = LogLevel.Warning, Message = "The certificate with SHA-256 {Thumbprint} is registered by more than one agency; it identifies none of them")]
    public static partial void CertificateAmbiguous(ILogger logger, string thumbprint);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Warning, Message = "Trust anchor {Anchor} has no revocation list configured: its certificates are not checked for revocation")]
    public static partial void AnchorWithoutRevocationList(ILogger logger, string anchor);
}
