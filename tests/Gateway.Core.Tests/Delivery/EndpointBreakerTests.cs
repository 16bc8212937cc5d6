using Gateway.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Delivery;

public sealed class EndpointBreakerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly Uri Endpoint = new("http://127.0.0.1:5092");
    private static readonly Uri Healthy = new("http://127.0.0.1:5091");

    // Back-offs of 1 s doubling to 60 s, each jittered between half and all of it.
    private static EndpointBreaker Breaker(int threshold = 3) => new(new RetryPolicy(
        Options.Create(new RetryOptions { EndpointFailureThreshold = threshold, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) }),
        new Random(1)));

    [Fact]
    public void An_endpoint_is_closed_until_consecutive_failures_reach_the_threshold_then_open_for_its_back_off()
    {
        var breaker = Breaker();

        Assert.Null(breaker.Failed(Endpoint, probe: false, Now));
        Assert.Null(breaker.Failed(Endpoint, probe: false, Now));
        Assert.Equal(EndpointState.Closed, breaker.State(Endpoint, Now));
        var until = breaker.Failed(Endpoint, probe: false, Now);

        Assert.NotNull(until);
        Assert.InRange(until.Value - Now, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.Equal(EndpointState.Open, breaker.State(Endpoint, Now));
        Assert.Equal(EndpointState.Closed, breaker.State(Healthy, Now));
        Assert.Equal(until, breaker.NextEnd(Now));
        Assert.False(breaker.TryBeginProbe(Endpoint, Now), "no probe while the back-off runs");
    }

    [Fact]
    public void A_success_between_failures_starts_the_count_again()
    {
        var breaker = Breaker();
        breaker.Failed(Endpoint, probe: false, Now);
        breaker.Failed(Endpoint, probe: false, Now);
        breaker.Succeeded(Endpoint);

        Assert.Null(breaker.Failed(Endpoint, probe: false, Now));
        Assert.Null(breaker.Failed(Endpoint, probe: false, Now));
        Assert.Equal(EndpointState.Closed, breaker.State(Endpoint, Now));
    }

    [Fact]
    public void When_the_back_off_ends_it_is_half_open_and_lets_out_one_probe_at_a_time()
    {
        var breaker = Breaker(threshold: 1);
        var until = breaker.Failed(Endpoint, probe: false, Now)!.Value;

        Assert.Equal(EndpointState.HalfOpen, breaker.State(Endpoint, until));
        Assert.Null(breaker.NextEnd(until));
        Assert.True(breaker.TryBeginProbe(Endpoint, until));
        Assert.False(breaker.TryBeginProbe(Endpoint, until), "a second probe while the first is out");
        Assert.Equal(EndpointState.HalfOpen, breaker.State(Endpoint, until));
        Assert.False(breaker.TryBeginProbe(Healthy, until), "a closed endpoint needs no probe");
    }

    [Fact]
    public void A_probe_that_sent_nothing_lets_the_next_look_probe_again()
    {
        var breaker = Breaker(threshold: 1);
        var until = breaker.Failed(Endpoint, probe: false, Now)!.Value;
        Assert.True(breaker.TryBeginProbe(Endpoint, until));

        breaker.EndProbe(Endpoint);

        Assert.Equal(EndpointState.HalfOpen, breaker.State(Endpoint, until));
        Assert.True(breaker.TryBeginProbe(Endpoint, until));
    }

    [Fact]
    public void A_successful_probe_closes_it()
    {
        var breaker = Breaker(threshold: 1);
        var until = breaker.Failed(Endpoint, probe: false, Now)!.Value;
        Assert.True(breaker.TryBeginProbe(Endpoint, until));

        breaker.Succeeded(Endpoint);
        breaker.EndProbe(Endpoint);

        Assert.Equal(EndpointState.Closed, breaker.State(Endpoint, until));
        Assert.False(breaker.TryBeginProbe(Endpoint, until));
        Assert.Null(breaker.NextEnd(until));

        // Closed again, it takes the threshold's failures to open it, and its back-off starts from the first again.
        var reopened = breaker.Failed(Endpoint, probe: false, until)!.Value;
        Assert.InRange(reopened - until, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Each_failed_probe_opens_it_again_for_twice_as_long_up_to_the_maximum()
    {
        var breaker = Breaker(threshold: 1);
        var now = breaker.Failed(Endpoint, probe: false, Now)!.Value;

        for (var opening = 2; opening <= 12; opening++)
        {
            Assert.True(breaker.TryBeginProbe(Endpoint, now));
            var until = breaker.Failed(Endpoint, probe: true, now);

            Assert.NotNull(until);
            var ceiling = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, opening - 1)));
            Assert.InRange(until.Value - now, ceiling / 2, ceiling);
            Assert.Equal(EndpointState.Open, breaker.State(Endpoint, now));
            Assert.False(breaker.TryBeginProbe(Endpoint, now));
            now = until.Value;
        }
    }

    [Fact]
    public void A_call_sent_before_it_opened_and_failing_after_changes_nothing()
    {
        var breaker = Breaker(threshold: 1);
        var until = breaker.Failed(Endpoint, probe: false, Now)!.Value;

        Assert.Null(breaker.Failed(Endpoint, probe: false, Now));
        Assert.Equal(until, breaker.NextEnd(Now));

        // Nor while half-open: only the probe's failure opens it again.
        Assert.True(breaker.TryBeginProbe(Endpoint, until));
        Assert.Null(breaker.Failed(Endpoint, probe: false, until));
        Assert.Equal(EndpointState.HalfOpen, breaker.State(Endpoint, until));
        Assert.NotNull(breaker.Failed(Endpoint, probe: true, until));
    }
}
