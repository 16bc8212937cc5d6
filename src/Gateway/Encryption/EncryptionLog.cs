namespace Gateway.Encryption;

internal static partial class EncryptionLog
{
    [LoggerMessage(EventId = 13001, Level = LogLevel.Warning, Message = "DEVELOPMENT DATA KEY: no Gateway:Encryption keys are configured, so personal data is sealed under a key generated now at {Path} (owner-only). Whoever copies that file with the store reads everything; configure Gateway:Encryption for real data.")]
    public static partial void DevelopmentKeyCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 13002, Level = LogLevel.Warning, Message = "DEVELOPMENT DATA KEY: no Gateway:Encryption keys are configured, so personal data is sealed under the development key at {Path}, beside the store. Configure Gateway:Encryption for real data.")]
    public static partial void DevelopmentKeyUsed(ILogger logger, string path);

    [LoggerMessage(EventId = 13003, Level = LogLevel.Information, Message = "Personal data is sealed under data key {ActiveKey}; {Count} keys configured ({KeyIds})")]
    public static partial void KeysLoaded(ILogger logger, string activeKey, int count, string keyIds);

    [LoggerMessage(EventId = 13004, Level = LogLevel.Information, Message = "Operator {Operator} started re-encryption under data key {ActiveKey} from message row {MessageRow}, delivery {DeliveryId}")]
    public static partial void ReencryptionStarted(ILogger logger, string @operator, string activeKey, long messageRow, long deliveryId);

    [LoggerMessage(EventId = 13005, Level = LogLevel.Information, Message = "Re-encryption by {Operator} done: every payload and last error is under data key {ActiveKey} ({Scanned} rows read, {Resealed} values resealed); audit justifications stay under the keys they were sealed with: keep those keys while the justifications must stay readable")]
    public static partial void ReencryptionDone(ILogger logger, string @operator, string activeKey, long scanned, long resealed);
}
