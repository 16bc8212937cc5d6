namespace Gateway.Core.Delivery;

/// <summary>
/// A circuit breaker per endpoint. Closed, calls go out freely; after <see cref="RetryOptions.EndpointFailureThreshold"/>
/// consecutive failed calls it opens and nothing is sent until its back-off ends, so deliveries to it do not take the
/// dispatcher's capacity from healthy ones. Then it is half-open: one probe (one delivery, or one small batch) goes
/// out while the rest waits. An answer closes it; a failed probe opens it again with the next, longer back-off (the
/// retry policy's, doubling up to <see cref="RetryOptions.MaxDelay"/>). An endpoint down for hours thus costs one
/// delivery attempt per back-off, not one for every delivery waiting for it. This is a hint kept in memory; every
/// delivery's own retry time is in the store.
/// </summary>
public sealed class EndpointBreaker(RetryPolicy policy)
{
    private readonly Dictionary<Uri, Breaker> _endpoints = [];
    private readonly Lock _lock = new();

    public EndpointState State(Uri endpoint, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _endpoints.TryGetValue(endpoint, out var breaker) ? breaker.State(now) : EndpointState.Closed;
        }
    }

    /// <summary>
    /// Takes the endpoint's one probe if it is half-open and no probe is out. The taker ends it by reporting the call
    /// (<see cref="Succeeded"/> or <see cref="Failed"/> with <c>probe</c> set), or by <see cref="EndProbe"/> when it
    /// sent nothing.
    /// </summary>
    public bool TryBeginProbe(Uri endpoint, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_endpoints.TryGetValue(endpoint, out var breaker) || breaker.State(now) != EndpointState.HalfOpen || breaker.Probing)
            {
                return false;
            }

            breaker.Probing = true;
            return true;
        }
    }

    /// <summary>The probe is over without an outcome (nothing was due, or the call was cut short): another may go out.</summary>
    public void EndProbe(Uri endpoint)
    {
        lock (_lock)
        {
            if (_endpoints.TryGetValue(endpoint, out var breaker))
            {
                breaker.Probing = false;
            }
        }
    }

    /// <summary>The endpoint answered: closed, its failures and back-offs forgotten.</summary>
    public void Succeeded(Uri endpoint)
    {
        lock (_lock)
        {
            _endpoints.Remove(endpoint);
        }
    }

    /// <summary>
    /// Counts a failed call; returns the end of the back-off if this failure opened the breaker. A failed probe opens
    /// it again for longer; a call sent before it opened and failing after changes nothing.
    /// </summary>
    public DateTimeOffset? Failed(Uri endpoint, bool probe, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_endpoints.TryGetValue(endpoint, out var breaker))
            {
                _endpoints[endpoint] = breaker = new Breaker();
            }

            if (probe && breaker.Probing)
            {
                breaker.Probing = false;
                return breaker.Open(policy, now);
            }

            if (breaker.Until is not null || ++breaker.Failures < policy.Options.EndpointFailureThreshold)
            {
                return null;
            }

            return breaker.Open(policy, now);
        }
    }

    /// <summary>When the first back-off still running ends, or null if none runs.</summary>
    public DateTimeOffset? NextEnd(DateTimeOffset now)
    {
        lock (_lock)
        {
            DateTimeOffset? next = null;
            foreach (var (_, breaker) in _endpoints)
            {
                if (breaker.Until > now && (next is null || breaker.Until < next))
                {
                    next = breaker.Until;
                }
            }

            return next;
        }
    }

    private sealed class Breaker
    {
        /// <summary>Back-offs in a row: the n-th lasts the retry policy's wait after n failures.</summary>
        private int _openings;

        /// <summary>Consecutive failed calls while closed.</summary>
        public int Failures { get; set; }

        /// <summary>End of the back-off; null while closed.</summary>
        public DateTimeOffset? Until { get; private set; }

        public bool Probing { get; set; }

        public EndpointState State(DateTimeOffset now) =>
            Until is not { } until ? EndpointState.Closed : until > now ? EndpointState.Open : EndpointState.HalfOpen;

        public DateTimeOffset Open(RetryPolicy policy, DateTimeOffset now)
        {
            Until = now + policy.Backoff(++_openings);
            return Until.Value;
        }
    }
}
