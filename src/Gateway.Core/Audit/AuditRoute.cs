namespace Gateway.Core.Audit;

/// <summary>
/// Why one recipient of a message was chosen, as its acceptance is audited: the agency, how it was chosen
/// (<see cref="Routing.RouteReasons"/>), the country the sender named when it named one, and the id of the route
/// agreement that allowed the delivery (none for replies and notices, which travel by their link).
/// </summary>
public sealed record AuditRoute(string Recipient, string Reason, string? Addressed = null, string? Agreement = null);
