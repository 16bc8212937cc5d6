using Microsoft.Extensions.Options;

namespace Gateway.Streams;

/// <summary>Refuses stream settings that would stall or cut every subscription.</summary>
public sealed class StreamOptionsValidator : IValidateOptions<StreamOptions>
{
    public const int MaxPageSize = 1000;

    public ValidateOptionsResult Validate(string? name, StreamOptions options)
    {
        var failures = new List<string>();
        if (options.PageSize is < 1 or > MaxPageSize)
        {
            failures.Add($"{StreamOptions.Section}:PageSize must be between 1 and {MaxPageSize}.");
        }

        Positive(failures, nameof(StreamOptions.WriteTimeout), options.WriteTimeout);
        Positive(failures, nameof(StreamOptions.KeepAlivePingDelay), options.KeepAlivePingDelay);
        Positive(failures, nameof(StreamOptions.KeepAlivePingTimeout), options.KeepAlivePingTimeout);
        Positive(failures, nameof(StreamOptions.IdleTimeout), options.IdleTimeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{StreamOptions.Section}:{name} must be a positive time span, e.g. 00:00:30.");
        }
    }
}
