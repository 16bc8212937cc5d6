namespace Gateway.PartnerSim.Hosting;

internal static partial class PartnerSimLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Faults: {FailPercent}% of calls refused, {DelayMs} ms added to each answer, every call refused for the first {RefuseSeconds} s")]
    public static partial void Faults(ILogger logger, int failPercent, long delayMs, long refuseSeconds);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Inbox {Path} opened: {Applied} messages applied so far")]
    public static partial void InboxOpened(ILogger logger, string path, long applied);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Error, Message = "Inbox commit of {Deliveries} deliveries failed; they are answered UNAVAILABLE and nothing of them was applied")]
    public static partial void CommitFailed(ILogger logger, int deliveries, Exception exception);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Error, Message = "Writing received.log failed; the inbox is unaffected")]
    public static partial void ReceivedLogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Information, Message = "Answers: refuses {Refused} (reason {Reason}), asks a question about {Asked}, applies the rest")]
    public static partial void Answers(ILogger logger, string refused, string reason, string asked);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Information, Message = "Notice {Kind} about message {MessageId}, recipient {Recipient} (the notices table has its text)")]
    public static partial void NoticeReceived(ILogger logger, string kind, string messageId, string recipient);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Information, Message = "TLS client certificate {Subject} (SHA-256 {Sha256}) accepted")]
    public static partial void ClientCertificateAccepted(ILogger logger, string subject, string sha256);

    [LoggerMessage(EventId = 8008, Level = LogLevel.Warning, Message = "TLS client certificate {Subject} (SHA-256 {Sha256}) refused: it {Problem}")]
    public static partial void ClientCertificateRefused(ILogger logger, string subject, string sha256, string problem);
}
