extern alias gatewayctl;

using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;
using Palette = gatewayctl::Gateway.Cli.Output.Palette;
using Timeline = gatewayctl::Gateway.Cli.Output.Timeline;

namespace Gateway.FunctionalTests.Cli;

/// <summary>
/// gatewayctl's trace commands (trace, search, watch, content) against a fake TraceService on 127.0.0.1: what they ask,
/// as whom, and how they print the answer, as text and as JSON.
/// </summary>
public sealed class TraceCommandTests : IAsyncLifetime
{
    private const string MessageId = "0190a7c5-1f00-7000-8000-00000000a001";

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(ReferralReflection.Descriptor)));

    private readonly FakeTraceService _service = new()
    {
        Trace = KidnappingTrace(),
        Page = new SearchMessagesResponse
        {
            Messages =
            {
                new MessageMatch
                {
                    Message = KidnappingTrace().Message,
                    Deliveries = { new DeliveryTrace { DeliveryId = "7", Recipient = "CN/FJPSD", Status = DeliveryStatus.DeadLettered, Attempts = 5 } },
                },
            },
            NextPageToken = "page-2",
        },
        Flow = [.. KidnappingTrace().Events.Take(3).Select(e => new WatchFlowResponse { Event = e, Kind = "Referral", CaseReference = Samples.KidnappingCase, Sender = "CN/PLO-RU" })],
        Content = new GetMessageContentResponse { Message = KidnappingTrace().Message, Content = Any.Pack(Samples.Referral()), ConsultedSequence = 40 },
    };

    private LoopbackGrpcServer _host = null!;

    public async Task InitializeAsync() => _host = await LoopbackGrpcServer.StartAsync(_service);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Trace_prints_the_message_then_one_line_per_event_and_the_deliveries()
    {
        var run = await RunAsync("trace", MessageId);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{MessageId}  Referral in case CN-FJ-2026-0042 (owner CN/PLO-RU)", run.Lines[0]);
        Assert.Equal("from CN/PLO-RU to CN/FJPSD, accepted 2026-03-01T08:00:00.000Z (audit #12)", run.Lines[1]);
        Assert.Equal("trace id: 4bf92f3577b34da6a3ce929d0e0e4736", run.Lines[2]);
        Assert.Contains(
            "2026-03-01T08:00:00.000Z  #12     message.accepted           CN/PLO-RU                           routed to CN/FJPSD (named agency, agreement plo-ru-to-fujian)",
            run.Lines);
        Assert.Contains(
            "2026-03-01T08:00:01.000Z  #13     delivery.attempt_failed    gateway              -> CN/FJPSD    attempt 1; 35 ms; error: Unavailable: endpoint down; retry at 2026-03-01T08:00:31.000Z",
            run.Lines);
        Assert.Contains(run.Lines, l => l.Contains("hold.released", StringComparison.Ordinal) && l.Contains("RU/MVD", StringComparison.Ordinal)
            && l.Contains("related 0190a7c5-1f00-7000-8000-00000000a002", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.Contains("message.consulted", StringComparison.Ordinal) && l.Contains("operator:duty-officer-1", StringComparison.Ordinal)
            && l.Contains("\"fraud check\"; via GetMessageContent", StringComparison.Ordinal));
        Assert.Contains("7      CN/FJPSD       DELIVERED               2 attempts, finished 2026-03-01T08:00:32.000Z", run.Lines);
        Assert.DoesNotContain('\u001b', run.Output);

        var (request, agency, @operator) = Assert.Single(_service.Calls);
        Assert.Equal(MessageId, ((GetMessageTraceRequest)request).MessageId);
        Assert.Equal((null, "duty-officer"), (agency, @operator));
    }

    [Fact]
    public async Task Trace_with_json_prints_the_response_that_parses_back_and_as_an_agency_calls_as_that_agency()
    {
        var run = await RunAsync("trace", MessageId, "--json", "--as", "CN/PLO-RU");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(_service.Trace, Json.Parse<GetMessageTraceResponse>(Assert.Single(run.Lines)));
        var (_, agency, @operator) = Assert.Single(_service.Calls);
        Assert.Equal(("CN/PLO-RU", null), (agency, @operator));
    }

    [Fact]
    public async Task Search_sends_its_filters_and_prints_the_page_and_the_next_token()
    {
        var run = await RunAsync(
            "search", "--case", Samples.KidnappingCase, "--sender", "CN/PLO-RU", "--recipient", "CN/FJPSD", "--kind", "Referral", "--status", "dead-lettered",
            "--from", "2026-03-01T00:00:00Z", "--until", "2026-03-02T00:00:00Z", "--oldest-first", "--page-size", "20", "--page-token", "page-1", "--operator", "duty-officer-2");
        var json = await RunAsync("search", "--json");

        Assert.Equal(0, run.ExitCode);
        var (request, _, @operator) = _service.Calls.First();
        Assert.Equal(
            new SearchMessagesRequest
            {
                Filter = new MessageFilter
                {
                    CaseReference = Samples.KidnappingCase,
                    Sender = "CN/PLO-RU",
                    Recipient = "CN/FJPSD",
                    Kind = "Referral",
                    Status = DeliveryStatus.DeadLettered,
                    AcceptedFrom = Timestamp.FromDateTimeOffset(Start.Date),
                    AcceptedUntil = Timestamp.FromDateTimeOffset(Start.Date.AddDays(1)),
                },
                Order = SearchOrder.OldestFirst,
                PageSize = 20,
                PageToken = "page-1",
            },
            request);
        Assert.Equal("duty-officer-2", @operator);
        Assert.StartsWith("ACCEPTED AT", run.Lines[0]);
        Assert.Equal($"2026-03-01T08:00:00.000Z {MessageId} Referral            CN-FJ-2026-0042      CN/PLO-RU   CN/FJPSD DEAD_LETTERED", run.Lines[1]);
        Assert.Equal("1 message; next page: --page-token page-2", run.Lines[^1]);
        Assert.Equal(_service.Page, Json.Parse<SearchMessagesResponse>(Assert.Single(json.Lines)));
    }

    [Fact]
    public async Task Watch_prints_events_as_they_come_until_stopped_and_then_exits_0()
    {
        using var stop = new CancellationTokenSource();
        var output = new LineWriter();
        var watching = Gatewayctl.RunAsync(["watch", "--gateway", _host.Address, "--case", Samples.KidnappingCase, "--after", "11"], output, stop.Token);
        await output.WaitForLinesAsync(3);
        await stop.CancelAsync();
        var run = await watching;
        await _service.WatchCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.Lines.Length);
        Assert.All(run.Lines, l => Assert.EndsWith($"[Referral {Samples.KidnappingCase} from CN/PLO-RU, message {MessageId}]", l));
        Assert.Equal(["#12", "#13", "#14"], run.Lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        var request = (WatchFlowRequest)Assert.Single(_service.Calls).Request;
        Assert.Equal((Samples.KidnappingCase, true, 11ul), (request.CaseReference, request.HasAfterSequence, request.AfterSequence));
    }

    [Fact]
    public async Task Watch_with_json_prints_one_document_per_event_and_starts_from_now_without_after()
    {
        using var stop = new CancellationTokenSource();
        var output = new LineWriter();
        var watching = Gatewayctl.RunAsync(["watch", "--gateway", _host.Address, "--json"], output, stop.Token);
        await output.WaitForLinesAsync(3);
        await stop.CancelAsync();
        var run = await watching;

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(_service.Flow, run.Lines.Select(l => Json.Parse<WatchFlowResponse>(l)));
        Assert.False(((WatchFlowRequest)Assert.Single(_service.Calls).Request).HasAfterSequence);
    }

    [Fact]
    public async Task Content_sends_the_reason_and_prints_the_content_and_the_audit_entry_of_the_consultation()
    {
        var run = await RunAsync("content", MessageId, "--reason", "fraud check");
        var json = await RunAsync("content", MessageId, "--reason", "fraud check", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(new GetMessageContentRequest { MessageId = MessageId, Reason = "fraud check" }, _service.Calls.First().Request);
        Assert.Contains("consulted: audit #40", run.Lines);
        Assert.Contains("\"@type\": \"type.googleapis.com/interagency.v1.SubmitReferralRequest\",", run.Lines);
        Assert.Contains("\"description\": \"kidnapping for ransom\",", run.Lines);
        Assert.Equal(_service.Content, Json.Parse<GetMessageContentResponse>(Assert.Single(json.Lines)));
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "", true)]
    [InlineData(true, "1", false)]
    [InlineData(false, null, false)]
    public void Colour_only_on_a_terminal_and_never_with_NO_COLOR(bool isTerminal, string? noColor, bool coloured) =>
        Assert.Equal(coloured, Palette.ShouldColour(isTerminal, noColor));

    [Fact]
    public void On_a_terminal_refusals_and_failures_are_red_holds_and_retries_yellow_deliveries_green()
    {
        var events = KidnappingTrace().Events;
        var terminal = new Palette(true);

        Assert.Contains("\u001b[31mdelivery.attempt_failed", Timeline.EventLine(events[1], terminal));
        Assert.Contains("\u001b[33mhold.released", Timeline.EventLine(events[3], terminal));
        Assert.Contains("\u001b[32mdelivery.delivered", Timeline.EventLine(events[2], terminal));
        Assert.DoesNotContain('\u001b', Timeline.EventLine(events[1], Palette.None));
    }

    private static GetMessageTraceResponse KidnappingTrace() => new()
    {
        Message = new MessageSummary
        {
            MessageId = MessageId,
            Kind = "Referral",
            CaseReference = Samples.KidnappingCase,
            CaseOwner = "CN/PLO-RU",
            Sender = "CN/PLO-RU",
            Recipients = { "CN/FJPSD" },
            AcceptedAt = At(0),
            AcceptedSequence = 12,
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        },
        Events =
        {
            new TraceEvent
            {
                Sequence = 12, At = At(0), Kind = "message.accepted", Actor = "CN/PLO-RU", MessageId = MessageId,
                Routes = { new RouteExplanation { Recipient = "CN/FJPSD", Reason = RouteReason.NamedAgency, Agreement = "plo-ru-to-fujian" } },
            },
            new TraceEvent
            {
                Sequence = 13, At = At(1), Kind = "delivery.attempt_failed", Actor = "gateway", MessageId = MessageId, DeliveryId = "7", Recipient = "CN/FJPSD",
                Attempt = 1, Duration = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(35)), Error = "Unavailable: endpoint down", RetryAt = At(31),
            },
            new TraceEvent
            {
                Sequence = 14, At = At(32), Kind = "delivery.delivered", Actor = "gateway", MessageId = MessageId, DeliveryId = "7", Recipient = "CN/FJPSD", Attempt = 2,
                Duration = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(12.5)),
            },
            new TraceEvent
            {
                Sequence = 30, At = At(600), Kind = "hold.released", Actor = "RU/MVD", MessageId = MessageId, RelatedMessageId = "0190a7c5-1f00-7000-8000-00000000a002",
            },
            new TraceEvent
            {
                Sequence = 40, At = At(900), Kind = "message.consulted", Actor = "operator:duty-officer-1", MessageId = MessageId, Justification = "fraud check", Via = "GetMessageContent",
            },
        },
        Deliveries = { new DeliveryTrace { DeliveryId = "7", Recipient = "CN/FJPSD", Status = DeliveryStatus.Delivered, Attempts = 2, FinishedAt = At(32) } },
        LinkedFrom = { "0190a7c5-1f00-7000-8000-00000000a002" },
    };

    private static Timestamp At(int seconds) => Timestamp.FromDateTimeOffset(Start.AddSeconds(seconds));

    private Task<CliRun> RunAsync(params string[] args) => Gatewayctl.RunAsync([.. args, "--gateway", _host.Address]);
}
