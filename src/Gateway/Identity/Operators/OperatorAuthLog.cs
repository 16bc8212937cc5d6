namespace Gateway.Identity.Operators;

internal static partial class OperatorAuthLog
{
    [LoggerMessage(EventId = 11001, Level = LogLevel.Information, Message = "Operators authenticate by JWT: issuer {Issuer}, audience {Audience}, {KeyCount} signing keys, roles from the '{RoleClaim}' claim")]
    public static partial void JwtOperators(ILogger logger, string issuer, string audience, int keyCount, string roleClaim);

    [LoggerMessage(EventId = 11002, Level = LogLevel.Warning, Message = "Operator call to {Method} refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 11003, Level = LogLevel.Warning, Message = "Operator call to {Method} refused: operator {Operator} holds none of the roles {Roles}")]
    public static partial void RoleMissing(ILogger logger, string method, string @operator, string roles);

    [LoggerMessage(EventId = 11004, Level = LogLevel.Information, Message = "Operator token signing keys re-read: {KeyCount} in effect")]
    public static partial void SigningKeysReloaded(ILogger logger, int keyCount);

    [LoggerMessage(EventId = 11005, Level = LogLevel.Warning, Message = "Operator token signing keys changed on disk but cannot be read; the keys in effect stay: {Error}")]
    public static partial void SigningKeysNotReloaded(ILogger logger, string error);
}
