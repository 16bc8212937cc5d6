using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Demo;

/// <summary>
/// An OTLP/HTTP receiver on 127.0.0.1 that keeps the spans other processes export to it (metrics and logs are taken
/// and dropped). The OTLP protos are not packaged for .NET, so the few fields read are decoded from the wire format:
/// ExportTraceServiceRequest.resource_spans(1) → resource(1).attributes(1) and scope_spans(2).spans(2), and of a span
/// trace_id(1), span_id(2), parent_span_id(4) and name(5).
/// </summary>
internal sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans;

    private OtlpTraceReceiver(WebApplication app, ConcurrentQueue<ReceivedSpan> spans)
    {
        _app = app;
        _spans = spans;
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    /// <summary>The base address to give as OTEL_EXPORTER_OTLP_ENDPOINT (with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).</summary>
    public string Address { get; }

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var spans = new ConcurrentQueue<ReceivedSpan>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (signal == "traces")
            {
                foreach (var span in ReadSpans(body.ToArray()))
                {
                    spans.Enqueue(span);
                }
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return new OtlpTraceReceiver(app, spans);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static IEnumerable<ReceivedSpan> ReadSpans(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
        {
            var service = Fields(resourceSpans, 1).SelectMany(resource => Fields(resource, 1))
                .Select(attribute => (Key: Fields(attribute, 1).Select(Text).FirstOrDefault(), Value: Fields(attribute, 2).SelectMany(v => Fields(v, 1)).Select(Text).FirstOrDefault()))
                .FirstOrDefault(a => a.Key == "service.name").Value ?? string.Empty;
            foreach (var span in Fields(resourceSpans, 2).SelectMany(scope => Fields(scope, 2)))
            {
                yield return new ReceivedSpan(
                    service,
                    Hex(Fields(span, 1).FirstOrDefault()),
                    Hex(Fields(span, 2).FirstOrDefault()),
                    Hex(Fields(span, 4).FirstOrDefault()),
                    Fields(span, 5).Select(Text).FirstOrDefault() ?? string.Empty);
            }
        }
    }

    // The length-delimited fields numbered <paramref name="number"/> of a message; every other field is skipped.
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private static string Hex(byte[]? bytes) => bytes is null ? string.Empty : Convert.ToHexStringLower(bytes);
}

/// <summary>A span as exported: the service that made it, its ids (lower-case hex; no parent: empty) and its name.</summary>
internal sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name);
