namespace Gateway.Core.Routing;

/// <summary>Whether a message of a kind may go from a sender to a resolved recipient.</summary>
public enum RouteVerdict
{
    /// <summary>The recipient accepts the kind and, where routes are checked, an agreement covers the route.</summary>
    Allowed = 1,

    /// <summary>The recipient does not accept this message kind at all.</summary>
    KindNotAccepted = 2,

    /// <summary>No route agreement covers this sender, recipient, kind and handling code.</summary>
    NotAgreed = 3,
}
