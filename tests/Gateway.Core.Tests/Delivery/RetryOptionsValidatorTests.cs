using Gateway.Core.Delivery;

namespace Gateway.Core.Tests.Delivery;

/// <summary>The retry validator as a plain function: the defaults hold, and each value that would break retries is named.</summary>
public class RetryOptionsValidatorTests
{
    private readonly RetryOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate(null, new RetryOptions()).Succeeded);

    [Fact]
    public void A_max_delay_equal_to_the_base_delay_is_valid() =>
        Assert.True(_validator.Validate(null, new RetryOptions { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(5) }).Succeeded);

    [Fact]
    public void Every_value_out_of_range_is_named()
    {
        var result = _validator.Validate(null, new RetryOptions
        {
            MaxAttempts = 0,
            EndpointFailureThreshold = 0,
            MaxAge = TimeSpan.Zero,
            BaseDelay = TimeSpan.FromSeconds(-1),
        });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Gateway:Delivery:Retry:MaxAttempts must be at least 1.",
                "Gateway:Delivery:Retry:EndpointFailureThreshold must be at least 1.",
                "Gateway:Delivery:Retry:MaxAge must be longer than zero, e.g. 00:00:01.",
                "Gateway:Delivery:Retry:BaseDelay must be longer than zero, e.g. 00:00:01.",
            ],
            result.Failures);
    }

    [Fact]
    public void A_max_delay_below_the_base_delay_is_refused()
    {
        var result = _validator.Validate(null, new RetryOptions { BaseDelay = TimeSpan.FromMinutes(10), MaxDelay = TimeSpan.FromMinutes(5) });

        Assert.Equal(["Gateway:Delivery:Retry:MaxDelay must be at least BaseDelay (00:10:00)."], result.Failures);
    }
}
