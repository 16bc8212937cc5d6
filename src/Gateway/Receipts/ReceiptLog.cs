namespace Gateway.Receipts;

internal static partial class ReceiptLog
{
    [LoggerMessage(EventId = 14001, Level = LogLevel.Information, Message = "Receipts are signed with receipt key {KeyId} ({Path}); public keys published in {PublishedPath}")]
    public static partial void Signing(ILogger logger, string keyId, string path, string publishedPath);

    [LoggerMessage(EventId = 14002, Level = LogLevel.Warning, Message = "GENERATED RECEIPT KEY: Gateway:Receipts:SigningKeyPath is not set, so receipts are signed with a key the gateway generated at {Path} ({State}). Development only: copy it somewhere safe and configure it, or receipts become unverifiable when the data folder goes.")]
    public static partial void GeneratedKey(ILogger logger, string path, string state);

    [LoggerMessage(EventId = 14003, Level = LogLevel.Information, Message = "Retired receipt key {KeyId} ({Path}) published, so receipts it signed stay verifiable")]
    public static partial void Retired(ILogger logger, string keyId, string path);
}
