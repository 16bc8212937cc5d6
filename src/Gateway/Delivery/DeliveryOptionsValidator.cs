using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>
/// Refuses dispatcher settings that would send nothing, probe an endpoint with more than a batch, or let a lease end
/// while its call may still be in flight (another worker would then send the same delivery again).
/// </summary>
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

        Positive(failures, nameof(DeliveryOptions.Timeout), options.Timeout);
        Positive(failures, nameof(DeliveryOptions.IdlePoll), options.IdlePoll);
        Positive(failures, nameof(DeliveryOptions.OverdueScanInterval), options.OverdueScanInterval);
        if (options.Lease <= options.Timeout)
        {
            failures.Add($"{DeliveryOptions.Section}:Lease must be longer than Timeout ({options.Timeout}), so that no other worker claims a delivery still in flight.");
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

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{DeliveryOptions.Section}:{name} must be longer than zero, e.g. 00:00:10.");
        }
    }
}
