using Gateway.Core.Intake;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// The business bounds are tighter than the wire schema's (protos/interagency/v1): a bound of zero would refuse every
/// message, and one past the schema's would never be reached, so the operator would believe in a limit that is not there.
/// </summary>
public sealed class IntakeLimitsValidator : IValidateOptions<IntakeLimits>
{
    /// <summary><c>header.recipients</c> max_items in common.proto.</summary>
    public const int SchemaMaxRecipients = 32;

    /// <summary><c>referral.subjects</c> max_items in referral.proto.</summary>
    public const int SchemaMaxSubjects = 50;

    /// <summary><c>header.relayed_by</c> max_items in common.proto (8), plus the sender.</summary>
    public const int SchemaMaxHops = 9;

    public ValidateOptionsResult Validate(string? name, IntakeLimits options)
    {
        var failures = new List<string>();
        Between(failures, nameof(IntakeLimits.MaxRecipients), options.MaxRecipients, SchemaMaxRecipients);
        Between(failures, nameof(IntakeLimits.MaxSubjects), options.MaxSubjects, SchemaMaxSubjects);
        Between(failures, nameof(IntakeLimits.MaxHops), options.MaxHops, SchemaMaxHops);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Between(List<string> failures, string name, int value, int schemaMaximum)
    {
        if (value < 1 || value > schemaMaximum)
        {
            failures.Add($"{IntakeLimits.Section}:{name} must be between 1 and {schemaMaximum} (the wire schema's bound).");
        }
    }
}
