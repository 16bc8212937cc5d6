using Microsoft.Extensions.Options;

namespace Gateway.Core.Delivery;

/// <summary>Refuses retry settings that would dead-letter at once, never wait, or cap the back-off below its start.</summary>
public sealed class RetryOptionsValidator : IValidateOptions<RetryOptions>
{
    public ValidateOptionsResult Validate(string? name, RetryOptions options)
    {
        var failures = new List<string>();
        AtLeastOne(failures, nameof(RetryOptions.MaxAttempts), options.MaxAttempts);
        AtLeastOne(failures, nameof(RetryOptions.EndpointFailureThreshold), options.EndpointFailureThreshold);
        Positive(failures, nameof(RetryOptions.MaxAge), options.MaxAge);
        Positive(failures, nameof(RetryOptions.BaseDelay), options.BaseDelay);
        if (options.MaxDelay < options.BaseDelay)
        {
            failures.Add($"{RetryOptions.Section}:MaxDelay must be at least BaseDelay ({options.BaseDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeastOne(List<string> failures, string name, int value)
    {
        if (value < 1)
        {
            failures.Add($"{RetryOptions.Section}:{name} must be at least 1.");
        }
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{RetryOptions.Section}:{name} must be longer than zero, e.g. 00:00:01.");
        }
    }
}
