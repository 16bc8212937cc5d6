using System.Diagnostics;
using System.Text.Json;
using TraceViewer;

// Usage: TraceViewer --dashboard URL [--timeout SECONDS]
// Polls the Aspire dashboard's telemetry API until one trace holds spans of a caller, the gateway and an agency
// endpoint, or the time is up, then prints what the dashboard holds. Exit code 0: such a trace exists; 1: none does
// (the report says which part is missing and why); 2: a wrong command line or a dashboard that never answered.
const int SpanLimit = 100_000;

Uri? dashboard = null;
var timeout = TimeSpan.FromSeconds(30);
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--dashboard" when Uri.TryCreate(value, UriKind.Absolute, out var uri):
            dashboard = new Uri(uri.ToString().TrimEnd('/') + "/");
            i++;
            break;
        case "--timeout" when int.TryParse(value, out var seconds) && seconds > 0:
            timeout = TimeSpan.FromSeconds(seconds);
            i++;
            break;
        default:
            Console.Error.WriteLine($"TraceViewer: unexpected argument '{args[i]}'. Usage: TraceViewer --dashboard URL [--timeout SECONDS]");
            return 2;
    }
}
if (dashboard is null)
{
    Console.Error.WriteLine("TraceViewer: --dashboard URL is required (the dashboard's browser address, e.g. http://127.0.0.1:18888).");
    return 2;
}

using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
var clock = Stopwatch.StartNew();
IReadOnlyList<Span>? spans = null;
string? lastError = null;
while (true)
{
    try
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync($"api/telemetry/spans?limit={SpanLimit}"));
        spans = OtlpSpans.Read(document.RootElement.GetProperty("data").GetProperty("resourceSpans"));
        lastError = null;
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
    {
        lastError = e.Message;
    }
    if ((spans is not null && new TraceReport(spans).Complete.Count > 0) || clock.Elapsed >= timeout)
    {
        break;
    }
    await Task.Delay(TimeSpan.FromSeconds(1));
}

if (spans is null)
{
    Console.Error.WriteLine($"TraceViewer: the dashboard's telemetry API at {new Uri(dashboard, "api/telemetry/spans")} did not answer within {timeout.TotalSeconds:0} s: {lastError}");
    return 2;
}
var report = new TraceReport(spans);
report.Write(Console.Out, dashboard);
return report.Complete.Count > 0 ? 0 : 1;
