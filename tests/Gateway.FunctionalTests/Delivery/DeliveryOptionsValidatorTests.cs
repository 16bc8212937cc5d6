using Gateway.Delivery;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>The dispatcher's validator as a plain function: the defaults hold, and each value that would break delivery is named.</summary>
public class DeliveryOptionsValidatorTests
{
    private readonly DeliveryOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate(null, new DeliveryOptions()).Succeeded);

    [Fact]
    public void Every_value_out_of_range_is_named()
    {
        var result = _validator.Validate(null, new DeliveryOptions
        {
            BatchSize = 0,
            MaxInFlight = 0,
            MaxInFlightPerEndpoint = 0,
            ProbeBatchSize = 1,
            IdlePoll = TimeSpan.Zero,
            OverdueScanInterval = TimeSpan.FromSeconds(-1),
        });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Gateway:Delivery:BatchSize must be at least 1.",
                "Gateway:Delivery:MaxInFlight must be at least 1.",
                "Gateway:Delivery:MaxInFlightPerEndpoint must be at least 1.",
                "Gateway:Delivery:ProbeBatchSize must be between 1 and BatchSize (0).",
                "Gateway:Delivery:IdlePoll must be longer than zero, e.g. 00:00:10.",
                "Gateway:Delivery:OverdueScanInterval must be longer than zero, e.g. 00:00:10.",
            ],
            result.Failures);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(5, 10)]
    public void A_lease_not_longer_than_the_call_timeout_is_refused(int leaseSeconds, int timeoutSeconds)
    {
        var result = _validator.Validate(null, new DeliveryOptions { Lease = TimeSpan.FromSeconds(leaseSeconds), Timeout = TimeSpan.FromSeconds(timeoutSeconds) });

        Assert.Equal(
            [$"Gateway:Delivery:Lease must be longer than Timeout ({TimeSpan.FromSeconds(timeoutSeconds)}), so that no other worker claims a delivery still in flight."],
            result.Failures);
    }

    [Fact]
    public void A_zero_timeout_is_named_as_such()
    {
        var result = _validator.Validate(null, new DeliveryOptions { Timeout = TimeSpan.Zero });

        Assert.Equal(["Gateway:Delivery:Timeout must be longer than zero, e.g. 00:00:10."], result.Failures);
    }
}
