using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>Refuses limits Kestrel would reject at start-up, or that would refuse every call.</summary>
public sealed class ServerLimitsValidator : IValidateOptions<ServerLimits>
{
    /// <summary>
    /// A message is one SQLite row and a unary call's body must stay under Kestrel's request body limit (30 MB);
    /// the contracts' own bounds keep every valid message far below this.
    /// </summary>
    public const int MaxMessageBytesCeiling = 16 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ServerLimits options)
    {
        var failures = new List<string>();
        MessageBytes(failures, nameof(ServerLimits.ReferralMaxMessageBytes), options.ReferralMaxMessageBytes);
        MessageBytes(failures, nameof(ServerLimits.FugitiveMaxMessageBytes), options.FugitiveMaxMessageBytes);
        MessageBytes(failures, nameof(ServerLimits.CaseUpdateMaxMessageBytes), options.CaseUpdateMaxMessageBytes);
        MessageBytes(failures, nameof(ServerLimits.OperationsMaxMessageBytes), options.OperationsMaxMessageBytes);
        MessageBytes(failures, nameof(ServerLimits.OtherMaxMessageBytes), options.OtherMaxMessageBytes);

        // The HTTP/2 ranges (RFC 9113 6.5.2) Kestrel enforces with an exception of its own.
        Between(failures, nameof(ServerLimits.MaxStreamsPerConnection), options.MaxStreamsPerConnection, 1, int.MaxValue);
        Between(failures, nameof(ServerLimits.MaxRequestHeadersTotalBytes), options.MaxRequestHeadersTotalBytes, 1024, int.MaxValue);
        Between(failures, nameof(ServerLimits.HeaderTableBytes), options.HeaderTableBytes, 0, int.MaxValue);
        Between(failures, nameof(ServerLimits.MaxFrameBytes), options.MaxFrameBytes, 16 * 1024, 16 * 1024 * 1024 - 1);
        if (options.RequestHeadersTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{ServerLimits.Section}:{nameof(ServerLimits.RequestHeadersTimeout)} must be at least 00:00:01.");
        }

        if (options.MinRequestBodyBytesPerSecond <= 0 || options.MinRequestBodyGracePeriod < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{ServerLimits.Section}:{nameof(ServerLimits.MinRequestBodyBytesPerSecond)} must be positive and "
                + $"{nameof(ServerLimits.MinRequestBodyGracePeriod)} at least 00:00:01.");
        }

        if (options.MaxConnections is < 1)
        {
            failures.Add($"{ServerLimits.Section}:{nameof(ServerLimits.MaxConnections)} must be at least 1, or not set for no limit.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void MessageBytes(List<string> failures, string name, int value) =>
        Between(failures, name, value, 1024, MaxMessageBytesCeiling);

    private static void Between(List<string> failures, string name, int value, int minimum, int maximum)
    {
        if (value < minimum || value > maximum)
        {
            failures.Add($"{ServerLimits.Section}:{name} must be between {minimum} and {maximum}.");
        }
    }
}
