namespace Gateway.Streams;

internal static partial class StreamLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Subscription of {Agency} opened after sequence {AfterSequence}, {CaseCount} cases (0 = all)")]
    public static partial void Opened(ILogger logger, string agency, long afterSequence, int caseCount);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Subscription of {Agency} ended: a write waited more than {WriteTimeout}; last sequence sent {LastSequence}")]
    public static partial void TooSlow(ILogger logger, string agency, TimeSpan writeTimeout, long lastSequence);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Subscription of {Agency} ended by shutdown; last sequence sent {LastSequence}")]
    public static partial void ShutDown(ILogger logger, string agency, long lastSequence);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Subscription of {Agency} reset: its client read nothing for {WriteTimeout} more after it was ended")]
    public static partial void Abandoned(ILogger logger, string agency, TimeSpan writeTimeout);
}
