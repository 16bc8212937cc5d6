namespace Gateway.Core.Delivery;

/// <summary>Where an endpoint stands in its <see cref="EndpointBreaker"/>.</summary>
public enum EndpointState
{
    /// <summary>Calls go out freely.</summary>
    Closed = 1,

    /// <summary>Backed off: nothing is sent until the back-off ends.</summary>
    Open = 2,

    /// <summary>The back-off ended: one probe may go out (or is out), and the rest waits for its outcome.</summary>
    HalfOpen = 3,
}
