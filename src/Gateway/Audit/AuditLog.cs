namespace Gateway.Audit;

internal static partial class AuditLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "{Windows} counts of refusals not audited one by one could not be written to the audit log")]
    public static partial void SuppressedCountNotWritten(ILogger logger, int windows, Exception error);
}
