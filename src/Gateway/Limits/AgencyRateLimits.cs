using System.Threading.RateLimiting;
using Gateway.Audit;
using Gateway.Core.Agencies;
using Gateway.Core.Limits;
using Grpc.Core;

namespace Gateway.Limits;

/// <summary>
/// The token bucket and the stream count of every agency, partitioned by the agency the identity check established.
/// Limits are read at start-up; a change of <c>Gateway:AgencyLimits</c> takes a restart.
/// </summary>
public sealed class AgencyRateLimits : IDisposable
{
    public const string RateLimited = "agency_rate_limited";

    public const string StreamsExhausted = "agency_streams_exhausted";

    /// <summary>
    /// How often a partitioned limiter refills its buckets (System.Threading.RateLimiting's fixed 100 ms tick): a token
    /// the bucket's rate has earned is there only from the next tick on, so the delay a client is told includes one.
    /// </summary>
    public static readonly TimeSpan ReplenishTick = TimeSpan.FromMilliseconds(100);

    private static readonly CallRefusal StreamsRefusal = new(
        StatusCode.ResourceExhausted,
        StreamsExhausted,
        "The calling agency has as many streams open as it may; close one, or wait for one to end, before opening another.",
        [])
    {
        AgencyLimit = true,
    };

    private readonly PartitionedRateLimiter<AgencyId> _calls;
    private readonly PartitionedRateLimiter<AgencyId> _streams;

    public AgencyRateLimits(AgencyLimitTable table)
    {
        _calls = PartitionedRateLimiter.Create<AgencyId, AgencyId>(agency => RateLimitPartition.GetTokenBucketLimiter(agency, id =>
        {
            var limit = table.For(id);

            // One token per period of 1/rate: the bucket fills evenly, and RetryAfter is the time one token takes.
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromTicks(Math.Max(1, TimeSpan.TicksPerSecond / limit.PermitsPerSecond)),
                QueueLimit = 0,

                // Refilled on the partitioned limiter's tick (ReplenishTick), not by a timer per agency.
                AutoReplenishment = false,
            };
        }));
        _streams = PartitionedRateLimiter.Create<AgencyId, AgencyId>(agency => RateLimitPartition.GetConcurrencyLimiter(agency, id =>
            new ConcurrencyLimiterOptions { PermitLimit = table.For(id).MaxConcurrentStreams, QueueLimit = 0 }));
    }

    /// <summary>Takes a token of <paramref name="agency"/>'s bucket for one call or one streamed message, or refuses with the delay until the next.</summary>
    public void Admit(ServerCallContext context, AgencyId agency)
    {
        using var lease = _calls.AttemptAcquire(agency);
        if (lease.IsAcquired)
        {
            return;
        }

        var delay = (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.Zero) + ReplenishTick;
        throw RefusalBoundary.Refuse(context, new CallRefusal(
            StatusCode.ResourceExhausted,
            RateLimited,
            "The calling agency sends faster than its configured rate; retry after the delay in the RetryInfo detail.",
            [])
        {
            AgencyLimit = true,
            RetryDelay = delay,
        });
    }

    /// <summary>Counts a stream of <paramref name="agency"/> as open until the returned lease is disposed, or refuses it.</summary>
    public IDisposable OpenStream(ServerCallContext context, AgencyId agency)
    {
        var lease = _streams.AttemptAcquire(agency);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw RefusalBoundary.Refuse(context, StreamsRefusal);
    }

    public void Dispose()
    {
        _calls.Dispose();
        _streams.Dispose();
    }
}
