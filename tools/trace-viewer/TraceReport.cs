using System.Globalization;

namespace TraceViewer;

/// <summary>What the dashboard holds, trace by trace, and whether one trace crosses caller, gateway and endpoint.</summary>
internal sealed class TraceReport
{
    private const int TracesListed = 15;

    private readonly IReadOnlyList<Span> _spans;
    private readonly Roles _roles;
    private readonly IReadOnlyList<Trace> _traces;

    public TraceReport(IReadOnlyList<Span> spans)
    {
        _spans = spans;
        _roles = new Roles(spans);
        _traces = spans
            .GroupBy(s => s.TraceId, StringComparer.Ordinal)
            .Select(g => new Trace(g.Key, g.OrderBy(s => s.StartNanos).ToList(), g.Select(_roles.Of).ToHashSet()))
            .OrderBy(t => t.Spans[0].StartNanos)
            .ToList();
    }

    public IReadOnlyList<Trace> Complete => _traces.Where(t => t.Roles.Count == 3).ToList();

    /// <summary>The first trace that holds all three, else the one closest to it.</summary>
    public Trace? Best =>
        Complete.FirstOrDefault()
        ?? _traces
            .OrderByDescending(t => t.Roles.Count)
            .ThenByDescending(t => t.Spans.Any(s => s.Scope == Roles.GatewaySource && s.Name.StartsWith("intake.", StringComparison.Ordinal)))
            .ThenByDescending(t => t.Spans.Count)
            .FirstOrDefault();

    public void Write(TextWriter output, Uri dashboard)
    {
        output.WriteLine($"The dashboard holds {Count(_spans.Count, "span")} in {Count(_traces.Count, "trace")}, from {Count(Services().Count, "service")}:");
        foreach (var (service, role, spans, traces) in Services())
        {
            output.WriteLine($"  {service,-34} {Name(role),-8} {Count(spans, "span"),10} in {Count(traces, "trace")}");
        }
        if (_traces.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Traces (first {Math.Min(TracesListed, _traces.Count)} of {_traces.Count}, oldest first):");
        foreach (var trace in _traces.Take(TracesListed))
        {
            var root = trace.Spans.First(s => s.ParentSpanId is null || trace.Spans.All(p => p.SpanId != s.ParentSpanId));
            var roles = string.Join("+", trace.Roles.Order().Select(Name));
            output.WriteLine($"  {trace.Id}  {roles,-23} {Count(trace.Spans.Count, "span"),9}  root: {root.Name} [{root.Service}]");
        }

        var best = Best!;
        output.WriteLine();
        output.WriteLine($"Trace {best.Id} ({Count(best.Spans.Count, "span")}), {new Uri(dashboard, $"traces/detail/{best.Id}")}:");
        WriteTree(output, best);
        output.WriteLine();
        if (best.Roles.Count == 3)
        {
            var complete = Complete.Count;
            output.WriteLine($"OK: trace {best.Id} holds spans of the caller ({ServicesOf(best, Role.Caller)}), "
                + $"the gateway ({ServicesOf(best, Role.Gateway)}) and the endpoint ({ServicesOf(best, Role.Endpoint)}); "
                + $"{complete} of {Count(_traces.Count, "trace")} hold all three.");
            return;
        }
        var missing = Enum.GetValues<Role>().Where(r => !best.Roles.Contains(r)).ToList();
        output.WriteLine($"MISSING: no trace holds spans of caller, gateway and endpoint together. The closest, {best.Id}, lacks "
            + string.Join(" and ", missing.Select(Name)) + ":");
        foreach (var role in missing)
        {
            output.WriteLine($"  {Name(role)}: {WhyMissing(role)}");
        }
    }

    private string WhyMissing(Role role)
    {
        var elsewhere = _traces.Where(t => t.Roles.Contains(role)).ToList();
        if (elsewhere.Count > 0)
        {
            var services = string.Join(", ", _spans.Where(s => _roles.Of(s) == role).Select(s => s.Service).Distinct());
            var withGateway = elsewhere.Count(t => t.Roles.Contains(Role.Gateway));
            var what = role switch
            {
                Role.Endpoint when withGateway > 0 =>
                    "the gateway's delivery attempts start traces of their own instead of continuing the message's trace",
                Role.Endpoint => "the endpoint starts traces of its own instead of continuing the traceparent the gateway sends",
                Role.Caller when withGateway > 0 => "the caller's trace does not reach the endpoint",
                Role.Caller => "the gateway's spans are not in the caller's trace: the caller sends no traceparent, or the gateway ignores it",
                _ => "the gateway's spans are in other traces",
            };
            return $"its spans ({services}) are in {Count(elsewhere.Count, "other trace")} ({withGateway} with the gateway's spans): {what}";
        }
        return role switch
        {
            Role.Caller => "no span from a caller reached the dashboard: the client sending the message exports no traces "
                + "(or it and the gateway report the same service name)",
            Role.Gateway => $"no span of the gateway's activity source {Roles.GatewaySource} reached the dashboard: "
                + "is OTEL_EXPORTER_OTLP_ENDPOINT set for the gateway?",
            _ => $"no span from an agency endpoint ({Roles.EndpointService}) reached the dashboard: the endpoint (PartnerSim) "
                + "exports no traces",
        };
    }

    private void WriteTree(TextWriter output, Trace trace)
    {
        var ids = trace.Spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = trace.Spans
            .Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        foreach (var root in trace.Spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)))
        {
            Write(root, 0);
        }

        void Write(Span span, int depth)
        {
            var label = new string(' ', 2 * depth) + span.Name;
            var duration = span.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
            output.WriteLine($"  {Name(_roles.Of(span)),-8} {label,-70} {span.Kind.ToString().ToLowerInvariant(),-8} {duration,8} ms  [{span.Service}]");
            foreach (var child in children[span.SpanId])
            {
                Write(child, depth + 1);
            }
        }
    }

    private List<(string Service, Role Role, int Spans, int Traces)> Services() =>
        _spans
            .GroupBy(s => s.Service, StringComparer.Ordinal)
            .Select(g => (g.Key, _roles.Of(g.First()), g.Count(), g.Select(s => s.TraceId).Distinct().Count()))
            .OrderBy(s => s.Item2)
            .ToList();

    private string ServicesOf(Trace trace, Role role) =>
        string.Join(", ", trace.Spans.Where(s => _roles.Of(s) == role).Select(s => s.Service).Distinct());

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private static string Name(Role role) => role.ToString().ToLowerInvariant();

    internal sealed record Trace(string Id, IReadOnlyList<Span> Spans, HashSet<Role> Roles);
}
