using Microsoft.Extensions.Options;

namespace Gateway.Core.Deadlines;

/// <summary>Refuses a reply time that is not positive, or one that gives a more urgent priority longer than a less urgent one.</summary>
public sealed class ReplyDeadlineOptionsValidator : IValidateOptions<ReplyDeadlineOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplyDeadlineOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[]
        {
            (nameof(ReplyDeadlineOptions.ImmediateLifeAtRisk), options.ImmediateLifeAtRisk),
            (nameof(ReplyDeadlineOptions.Urgent), options.Urgent),
            (nameof(ReplyDeadlineOptions.Routine), options.Routine),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{ReplyDeadlineOptions.Section}:{key} must be longer than zero, e.g. 08:00:00.");
            }
        }

        if (options.Urgent < options.ImmediateLifeAtRisk)
        {
            failures.Add($"{ReplyDeadlineOptions.Section}:Urgent must be at least ImmediateLifeAtRisk ({options.ImmediateLifeAtRisk}).");
        }

        if (options.Routine < options.Urgent)
        {
            failures.Add($"{ReplyDeadlineOptions.Section}:Routine must be at least Urgent ({options.Urgent}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
