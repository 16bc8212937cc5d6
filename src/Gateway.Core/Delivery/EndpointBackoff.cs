namespace Gateway.Core.Delivery;

/// <summary>
/// Endpoints that keep failing, backed off as a whole: after <see cref="RetryOptions.EndpointFailureThreshold"/>
/// consecutive failed calls nothing is sent to an endpoint until its backoff ends, so deliveries to it do not take
/// the dispatcher's capacity from healthy ones. A success clears it. This is a hint kept in memory; every delivery's
/// own retry time is in the store.
/// </summary>
public sealed class EndpointBackoff(RetryPolicy policy)
{
    private readonly Dictionary<Uri, (int Failures, DateTimeOffset Until)> _endpoints = [];
    private readonly Lock _lock = new();

    public void Succeeded(Uri endpoint)
    {
        lock (_lock)
        {
            _endpoints.Remove(endpoint);
        }
    }

    /// <summary>Counts a failed call; returns the end of the endpoint's backoff if it is now backed off.</summary>
    public DateTimeOffset? Failed(Uri endpoint, DateTimeOffset now)
    {
        lock (_lock)
        {
            var failures = (_endpoints.TryGetValue(endpoint, out var state) ? state.Failures : 0) + 1;
            var over = failures - policy.Options.EndpointFailureThreshold;
            DateTimeOffset? until = over >= 0 ? now + policy.Backoff(over + 1) : null;
            _endpoints[endpoint] = (failures, until ?? DateTimeOffset.MinValue);
            return until;
        }
    }

    public bool IsBackedOff(Uri endpoint, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _endpoints.TryGetValue(endpoint, out var state) && state.Until > now;
        }
    }

    /// <summary>When the first backoff still running ends, or null if none runs.</summary>
    public DateTimeOffset? NextEnd(DateTimeOffset now)
    {
        lock (_lock)
        {
            DateTimeOffset? next = null;
            foreach (var (_, state) in _endpoints)
            {
                if (state.Until > now && (next is null || state.Until < next))
                {
                    next = state.Until;
                }
            }

            return next;
        }
    }
}
