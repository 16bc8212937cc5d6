namespace Gateway.Agencies;

internal static partial class DirectoryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Directory {Hash} in effect from {Source}: {Agencies} agencies, {Routes} route agreements")]
    public static partial void Loaded(ILogger logger, string hash, string source, int agencies, int routes);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "The edited directory in {Source} was refused; directory {Hash} stays in effect")]
    public static partial void EditRefused(ILogger logger, string source, string hash, Exception error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "The edited directory in {Source} could not be audited and does not take effect; directory {Hash} stays in effect")]
    public static partial void EditNotAudited(ILogger logger, string source, string hash, Exception error);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "The directory in {Source} was read again without changes; directory {Hash} stays in effect")]
    public static partial void Unchanged(ILogger logger, string source, string hash);
}
