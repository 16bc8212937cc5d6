namespace TraceViewer;

/// <summary>The three parts one message's trace must cross.</summary>
internal enum Role { Caller, Gateway, Endpoint }

/// <summary>
/// Tells which process each span comes from by what the spans are, not by service names, which the processes choose
/// (and default to <c>unknown_service:NAME</c>): the gateway is whoever emits spans of its activity source
/// <see cref="GatewaySource"/>; an endpoint is a process serving <see cref="EndpointService"/> (or named PartnerSim);
/// a caller is any other process in the trace.
/// </summary>
internal sealed class Roles
{
    public const string GatewaySource = "Liaison.Gateway";
    public const string EndpointService = "AgencyEndpointService";

    private readonly HashSet<string> _gateway;
    private readonly HashSet<string> _endpoint;

    public Roles(IReadOnlyList<Span> spans)
    {
        _gateway = spans.Where(s => s.Scope == GatewaySource).Select(s => s.Service).ToHashSet(StringComparer.Ordinal);
        _endpoint = spans
            .Where(s => !_gateway.Contains(s.Service) && IsEndpoint(s))
            .Select(s => s.Service)
            .ToHashSet(StringComparer.Ordinal);
    }

    public Role Of(Span span) =>
        _gateway.Contains(span.Service) ? Role.Gateway
        : _endpoint.Contains(span.Service) ? Role.Endpoint
        : Role.Caller;

    private static bool IsEndpoint(Span span) =>
        (span.Kind == SpanKind.Server && (span.Name.Contains(EndpointService, StringComparison.Ordinal)
            || span.Attributes.Values.Any(v => v.Contains(EndpointService, StringComparison.Ordinal))))
        || span.Service.Contains("partnersim", StringComparison.OrdinalIgnoreCase)
        || span.Scope.Contains("PartnerSim", StringComparison.OrdinalIgnoreCase);
}
