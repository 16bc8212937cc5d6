namespace Gateway.Delivery;

internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Dispatcher {Worker} started: batches of {BatchSize}, at most {MaxInFlight} deliveries in flight")]
    public static partial void Started(ILogger logger, string worker, int batchSize, int maxInFlight);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Delivery call to {Endpoint} failed ({Status}) for {Count} deliveries")]
    public static partial void CallFailed(ILogger logger, Uri endpoint, string status, int count);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} keeps failing; nothing is sent to it until {Until:O}")]
    public static partial void EndpointBackedOff(ILogger logger, Uri endpoint, DateTimeOffset until);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} of message {MessageId} to {Recipient} dead-lettered after {Attempts} attempts: {Error}")]
    public static partial void DeadLettered(ILogger logger, long deliveryId, string messageId, string recipient, int attempts, string error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Agency {Agency} has no endpoint in the directory; its deliveries wait")]
    public static partial void NoEndpoint(ILogger logger, string agency);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Dispatcher round failed; trying again")]
    public static partial void RoundFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Reply overdue for message {MessageId} from {Recipient}; a notice to {Sender} is queued")]
    public static partial void ReplyOverdue(ILogger logger, string messageId, string recipient, string sender);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Endpoint {Endpoint} does not implement DeliverBatch; delivering one call per message")]
    public static partial void NoBatch(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Probe of endpoint {Endpoint} failed ({Status}); nothing more is sent to it until {Until:O}")]
    public static partial void ProbeFailed(ILogger logger, Uri endpoint, string status, DateTimeOffset until);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Reply deadline scan failed; trying again at the next scan")]
    public static partial void OverdueScanFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Endpoint {Endpoint} answered its probe; delivering to it again")]
    public static partial void EndpointBack(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Delivery {DeliveryId} of message {MessageId} refused by {Recipient} ({Reason}); its sender gets a notice")]
    public static partial void RefusedByRecipient(ILogger logger, long deliveryId, string messageId, string recipient, string reason);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Delivery {DeliveryId} of message {MessageId}: {Recipient} asks its sender a question; the sender gets a notice")]
    public static partial void ClarificationRequested(ILogger logger, long deliveryId, string messageId, string recipient);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} answered delivery {DeliveryId} with an {Problem}; the attempt counts as failed")]
    public static partial void InvalidAnswer(ILogger logger, Uri endpoint, long deliveryId, string problem);
}
