namespace Gateway.Operations;

internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Operator call to {Method} refused: it does not name an operator in the '{Header}' header")]
    public static partial void OperatorUnknown(ILogger logger, string method, string header);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Operator {Operator} replayed {Count} dead letters")]
    public static partial void Replayed(ILogger logger, string @operator, int count);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Operator {Operator} reviewed held message {MessageId}: {Decision} for {Count} recipients")]
    public static partial void Reviewed(ILogger logger, string @operator, string messageId, string decision, int count);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Operator {Operator} asked to replay {Count} dead letters that no route agreement in effect lets reach their recipient; they stay dead letters")]
    public static partial void ReplayNotAgreed(ILogger logger, string @operator, int count);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Operator {Operator} released held message {MessageId}, but no route agreement in effect lets it reach {Count} of its recipients; those deliveries are refused")]
    public static partial void ReleaseNotAgreed(ILogger logger, string @operator, string messageId, int count);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "INSECURE DEVELOPMENT OPERATORS: callers name the operator in the '{Header}' header and are believed. Anyone who can reach the port can replay dead letters. Loopback only; never use this mode with real data.")]
    public static partial void InsecureOperators(ILogger logger, string header);
}
