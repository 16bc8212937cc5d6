using Microsoft.Extensions.Options;

namespace Gateway.Audit;

/// <summary>Refuses audit budgets that would let a flood through unbounded or count nothing.</summary>
public sealed class UnauthenticatedRefusalOptionsValidator : IValidateOptions<UnauthenticatedRefusalOptions>
{
    public const int MaxPermitsPerWindow = 10_000;
    public const int MaxSourcesLimit = 100_000;

    public static readonly TimeSpan MinWindow = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, UnauthenticatedRefusalOptions options)
    {
        var failures = new List<string>();
        if (options.PermitsPerWindow is < 0 or > MaxPermitsPerWindow)
        {
            failures.Add($"{UnauthenticatedRefusalOptions.Section}:PermitsPerWindow must be between 0 and {MaxPermitsPerWindow}.");
        }

        if (options.Window < MinWindow || options.Window > MaxWindow)
        {
            failures.Add($"{UnauthenticatedRefusalOptions.Section}:Window must be between {MinWindow} and {MaxWindow}, e.g. 00:00:10.");
        }

        if (options.MaxSources is < 1 or > MaxSourcesLimit)
        {
            failures.Add($"{UnauthenticatedRefusalOptions.Section}:MaxSources must be between 1 and {MaxSourcesLimit}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
