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

        AtLeast(failures, nameof(StreamOptions.WriteTimeout), options.WriteTimeout, TimeSpan.FromMilliseconds(1));
        AtLeast(failures, nameof(StreamOptions.IdleTimeout), options.IdleTimeout, TimeSpan.FromMilliseconds(1));

        // Kestrel checks its timers once a second and refuses shorter ping settings.
        AtLeast(failures, nameof(StreamOptions.KeepAlivePingDelay), options.KeepAlivePingDelay, TimeSpan.FromSeconds(1));
        AtLeast(failures, nameof(StreamOptions.KeepAlivePingTimeout), options.KeepAlivePingTimeout, TimeSpan.FromSeconds(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeast(List<string> failures, string name, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum)
        {
            failures.Add($"{StreamOptions.Section}:{name} must be at least {minimum}, e.g. 00:00:30.");
        }
    }
}
