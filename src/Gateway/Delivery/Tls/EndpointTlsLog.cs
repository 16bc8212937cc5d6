namespace Gateway.Delivery.Tls;

internal static partial class EndpointTlsLog
{
    [LoggerMessage(EventId = 10001, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} presented a certificate the gateway refuses: it {Problem}. Nothing is sent to it; deliveries retry until it presents the registered certificate")]
    public static partial void CertificateRefused(ILogger logger, Uri endpoint, string problem);

    [LoggerMessage(EventId = 10002, Level = LogLevel.Information, Message = "Endpoint {Endpoint} presents an accepted certificate again")]
    public static partial void CertificateAccepted(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = 10003, Level = LogLevel.Information, Message = "TLS files for endpoint {Endpoint} changed (client certificate, trust anchors or registered endpoint certificate); new calls go over a new connection")]
    public static partial void FilesChanged(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = 10004, Level = LogLevel.Warning, Message = "TLS files for endpoint {Endpoint} changed but cannot be read ({Reason}); calls keep the previous ones until they can")]
    public static partial void FilesUnreadable(ILogger logger, Uri endpoint, string reason);
}
