using Gateway.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Delivery;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static RetryPolicy Policy(int seed = 1) => new(
        Options.Create(new RetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60), MaxAttempts = 5, MaxAge = TimeSpan.FromHours(1) }),
        new Random(seed));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    public void The_wait_doubles_with_each_failure_and_is_jittered_between_half_and_all_of_it(int failures, int ceilingSeconds)
    {
        var policy = Policy();
        var waits = Enumerable.Range(0, 200).Select(_ => policy.Backoff(failures)).ToList();

        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromSeconds(ceilingSeconds / 2.0), TimeSpan.FromSeconds(ceilingSeconds)));
        Assert.True(waits.Distinct().Count() > 100, "jitter spreads the waits");
    }

    [Fact]
    public void The_wait_never_exceeds_the_maximum()
    {
        Assert.InRange(Policy().Backoff(40), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_delivery_is_dead_lettered_after_its_attempts_or_its_age()
    {
        var policy = Policy();

        Assert.NotNull(policy.NextAttempt(4, Now.AddMinutes(-1), Now));
        Assert.Null(policy.NextAttempt(5, Now.AddMinutes(-1), Now));
        Assert.Null(policy.NextAttempt(1, Now.AddHours(-1), Now));
    }
}
