using Gateway.Streams;

namespace Gateway.FunctionalTests.Streams;

/// <summary>The publish limits validator as a plain function.</summary>
public class PublishOptionsValidatorTests
{
    private readonly PublishOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate(null, new PublishOptions()).Succeeded);

    [Fact]
    public void Limits_below_one_are_named()
    {
        var result = _validator.Validate(null, new PublishOptions { MaxUnacknowledged = 0, MaxConsecutiveRefusals = -1 });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Gateway:Streams:Publish:MaxUnacknowledged must be at least 1.",
                "Gateway:Streams:Publish:MaxConsecutiveRefusals must be at least 1.",
            ],
            result.Failures);
    }
}
