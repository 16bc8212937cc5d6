using Gateway.Hosting;

namespace Gateway.FunctionalTests.Hosting;

/// <summary>The limits validator as a plain function: the defaults hold, and a value Kestrel or gRPC would not take is named.</summary>
public class ServerLimitsValidatorTests
{
    private readonly ServerLimitsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate(null, new ServerLimits()).Succeeded);

    [Fact]
    public void Every_value_out_of_range_is_named_with_its_range()
    {
        var result = _validator.Validate(null, new ServerLimits
        {
            ReferralMaxMessageBytes = 0,
            OperationsMaxMessageBytes = ServerLimitsValidator.MaxMessageBytesCeiling + 1,
            MaxStreamsPerConnection = 0,
            MaxFrameBytes = 1024,
            RequestHeadersTimeout = TimeSpan.Zero,
            MinRequestBodyBytesPerSecond = 0,
            MaxConnections = 0,
        });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Gateway:Limits:ReferralMaxMessageBytes must be between 1024 and 16777216.",
                "Gateway:Limits:OperationsMaxMessageBytes must be between 1024 and 16777216.",
                "Gateway:Limits:MaxStreamsPerConnection must be between 1 and 2147483647.",
                "Gateway:Limits:MaxFrameBytes must be between 16384 and 16777215.",
                "Gateway:Limits:RequestHeadersTimeout must be at least 00:00:01.",
                "Gateway:Limits:MinRequestBodyBytesPerSecond must be positive and MinRequestBodyGracePeriod at least 00:00:01.",
                "Gateway:Limits:MaxConnections must be at least 1, or not set for no limit.",
            ],
            result.Failures);
    }
}
