using Microsoft.Extensions.Options;

namespace Gateway.Streams;

/// <summary>Refuses publish limits that would stall every stream (nothing read before an acknowledgement) or close it at its first refusal.</summary>
public sealed class PublishOptionsValidator : IValidateOptions<PublishOptions>
{
    public ValidateOptionsResult Validate(string? name, PublishOptions options)
    {
        var failures = new List<string>();
        if (options.MaxUnacknowledged < 1)
        {
            failures.Add($"{PublishOptions.Section}:MaxUnacknowledged must be at least 1.");
        }

        if (options.MaxConsecutiveRefusals < 1)
        {
            failures.Add($"{PublishOptions.Section}:MaxConsecutiveRefusals must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
