using System.Text.Json;

namespace TraceViewer;

/// <summary>One span as the dashboard's telemetry API returns it (OTLP JSON), with its process's service name.</summary>
internal sealed record Span(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    SpanKind Kind,
    ulong StartNanos,
    ulong EndNanos,
    IReadOnlyDictionary<string, string> Attributes)
{
    public TimeSpan Duration => TimeSpan.FromTicks((long)((EndNanos - StartNanos) / 100));
}

internal enum SpanKind { Unspecified, Internal, Server, Client, Producer, Consumer }

/// <summary>Reads OTLP JSON <c>resourceSpans</c>, as in <c>GET /api/telemetry/spans</c>, into flat spans.</summary>
internal static class OtlpSpans
{
    public static IReadOnlyList<Span> Read(JsonElement resourceSpans)
    {
        var spans = new List<Span>();
        foreach (var resource in resourceSpans.EnumerateArray())
        {
            var service = Attributes(resource.GetProperty("resource")).GetValueOrDefault("service.name", "(no service.name)");
            foreach (var scopeSpans in Array(resource, "scopeSpans"))
            {
                var scope = scopeSpans.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var span in Array(scopeSpans, "spans"))
                {
                    spans.Add(new Span(
                        service,
                        scope,
                        Text(span, "traceId"),
                        Text(span, "spanId"),
                        span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } p ? p : null,
                        Text(span, "name"),
                        Kind(span),
                        Nanos(span, "startTimeUnixNano"),
                        Nanos(span, "endTimeUnixNano"),
                        Attributes(span)));
                }
            }
        }
        return spans;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";

    private static ulong Nanos(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? 0
        : value.ValueKind == JsonValueKind.Number ? value.GetUInt64()
        : ulong.TryParse(value.GetString(), out var nanos) ? nanos : 0;

    // OTLP JSON writes enums as integers; accept their names too, which some encoders emit.
    private static SpanKind Kind(JsonElement span)
    {
        if (!span.TryGetProperty("kind", out var kind))
        {
            return SpanKind.Unspecified;
        }
        if (kind.ValueKind == JsonValueKind.Number)
        {
            var number = kind.GetInt32();
            return number is >= 0 and <= 5 ? (SpanKind)number : SpanKind.Unspecified;
        }
        return kind.GetString() switch
        {
            "SPAN_KIND_INTERNAL" => SpanKind.Internal,
            "SPAN_KIND_SERVER" => SpanKind.Server,
            "SPAN_KIND_CLIENT" => SpanKind.Client,
            "SPAN_KIND_PRODUCER" => SpanKind.Producer,
            "SPAN_KIND_CONSUMER" => SpanKind.Consumer,
            _ => SpanKind.Unspecified,
        };
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in Array(owner, "attributes"))
        {
            if (!attribute.TryGetProperty("value", out var value))
            {
                continue;
            }
            var text = value.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ToString()).FirstOrDefault();
            attributes[Text(attribute, "key")] = text ?? "";
        }
        return attributes;
    }
}
