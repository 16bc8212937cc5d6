using Microsoft.Extensions.Options;

namespace Gateway.Core.Delivery;

/// <summary>
/// Exponential backoff with jitter: the n-th retry waits between half and all of min(MaxDelay, BaseDelay * 2^(n-1)),
/// so that deliveries failed together do not all come back together. Past the attempts or age allowed, dead letter.
/// </summary>
public sealed class RetryPolicy(IOptions<RetryOptions> options, Random random)
{
    private readonly RetryOptions _options = options.Value;

    public RetryPolicy(IOptions<RetryOptions> options)
        : this(options, Random.Shared)
    {
    }

    public RetryOptions Options => _options;

    /// <summary>When to try again after <paramref name="attempts"/> failed attempts, or null to dead-letter.</summary>
    public DateTimeOffset? NextAttempt(int attempts, DateTimeOffset createdAt, DateTimeOffset now)
    {
        if (attempts >= _options.MaxAttempts || now - createdAt >= _options.MaxAge)
        {
            return null;
        }

        return now + Backoff(attempts);
    }

    /// <summary>The jittered wait after the <paramref name="failures"/>-th consecutive failure.</summary>
    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ceiling = Math.Min(_options.MaxDelay.Ticks, _options.BaseDelay.Ticks * (1L << Math.Min(exponent, 20)));
        return TimeSpan.FromTicks((long)(ceiling * (0.5 + (random.NextDouble() / 2))));
    }
}
