namespace Gateway.Hosting;

internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Liaison Gateway listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Data stored in {Path}")]
    public static partial void DataPath(ILogger logger, string path);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Telemetry (traces, metrics, logs) exported over OTLP to {Endpoint}")]
    public static partial void TelemetryExported(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Telemetry not exported; set {Variable} to export traces, metrics and logs over OTLP")]
    public static partial void TelemetryNotExported(ILogger logger, string variable);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "INSECURE DEVELOPMENT IDENTITY: callers name their agency in the '{Header}' header and are believed. Anyone who can reach the port can act as any agency. Loopback only; never use this mode with real data.")]
    public static partial void InsecureIdentity(ILogger logger, string header);
}
