using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>Refuses dispatcher sizes that would send nothing, or probe an endpoint with more than a batch.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        AtLeastOne(failures, nameof(DeliveryOptions.BatchSize), options.BatchSize);
        AtLeastOne(failures, nameof(DeliveryOptions.MaxInFlight), options.MaxInFlight);
        AtLeastOne(failures, nameof(DeliveryOptions.MaxInFlightPerEndpoint), options.MaxInFlightPerEndpoint);
        if (options.ProbeBatchSize < 1 || options.ProbeBatchSize > options.BatchSize)
        {
            failures.Add($"{DeliveryOptions.Section}:ProbeBatchSize must be between 1 and BatchSize ({options.BatchSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeastOne(List<string> failures, string name, int value)
    {
        if (value < 1)
        {
            failures.Add($"{DeliveryOptions.Section}:{name} must be at least 1.");
        }
    }
}
