using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Trace;

/// <summary>WatchFlow over 127.0.0.1: events as they are committed, resumable by sequence, restricted to what the caller may see.</summary>
public sealed class WatchFlowTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly TraceService.TraceServiceClient _trace = new(server.Channel);
    private readonly ReferralService.ReferralServiceClient _referrals = new(server.Channel);

    [Fact]
    public async Task A_watch_resumed_from_the_last_sequence_received_misses_nothing_and_repeats_nothing_while_messages_keep_arriving()
    {
        const string Case = "CN-FJ-2026-FLOW";
        var first = await SubmitAsync(Case, "CN/FJPSD");
        var start = (await _trace.GetMessageTraceAsync(new() { MessageId = first }, GatewayServer.As("CN/PLO-RU"))).Message.AcceptedSequence - 1;

        // Messages keep arriving, half of them to an agency the watcher is not: it must not see those.
        using var sending = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var submitted = Task.Run(async () =>
        {
            var ids = new List<(string Id, string Recipient)>();
            for (var i = 0; i < 40; i++)
            {
                var recipient = i % 2 == 0 ? "CN/FJPSD" : "CN/MPS";
                ids.Add((await SubmitAsync(Case, recipient), recipient));
            }

            return ids;
        });

        var request = new WatchFlowRequest { CaseReference = Case, AfterSequence = start };
        var received = await ReadAsync(request, count: 8);
        request.AfterSequence = received[^1].Event.Sequence;
        var sent = await submitted;
        var expected = new[] { first }.Concat(sent.Where(s => s.Recipient == "CN/FJPSD").Select(s => s.Id)).ToList();
        received.AddRange(await ReadAsync(request, count: expected.Count - received.Count));

        Assert.Equal(expected, received.Select(r => r.Event.MessageId));
        Assert.All(received, r => Assert.Equal((AuditKinds.MessageAccepted, Case, "CN/PLO-RU", "Referral"), (r.Event.Kind, r.CaseReference, r.Sender, r.Kind)));
        Assert.Equal(received.Select(r => r.Event.Sequence).Order(), received.Select(r => r.Event.Sequence));
        Assert.Equal(received.Count, received.Select(r => r.Event.Sequence).Distinct().Count());
        var accepted = (await AuditAsync(server.Store, AuditKinds.MessageAccepted)).Where(e => expected.Contains(e.MessageId));
        Assert.Equal(accepted.Select(e => (ulong)e.Sequence), received.Select(r => r.Event.Sequence));
    }

    [Fact]
    public async Task A_watch_without_a_sequence_starts_at_the_head_and_a_state_filter_shows_only_events_that_leave_that_state()
    {
        const string Case = "CN-FJ-2026-FLOW-HEAD";
        var before = await SubmitAsync(Case, "CN/FJPSD");
        using var call = _trace.WatchFlow(new WatchFlowRequest { CaseReference = Case, Status = DeliveryStatus.Pending }, AsOperator());
        // The response headers come once the stream's start is fixed.
        await call.ResponseHeadersAsync;
        var after = await SubmitAsync(Case, "CN/FJPSD");

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal((after, AuditKinds.MessageAccepted), (call.ResponseStream.Current.Event.MessageId, call.ResponseStream.Current.Event.Kind));
    }

    private async Task<string> SubmitAsync(string caseReference, string recipient)
    {
        var referral = Samples.Referral("CN/PLO-RU", recipient);
        referral.Header.CaseReference = caseReference;
        await _referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        return referral.Header.MessageId;
    }

    /// <summary>Reads <paramref name="count"/> events as CN/FJPSD, then ends the call as a client that stops would.</summary>
    private async Task<List<WatchFlowResponse>> ReadAsync(WatchFlowRequest request, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = _trace.WatchFlow(request, GatewayServer.As("CN/FJPSD"), cancellationToken: timeout.Token);
        var received = new List<WatchFlowResponse>();
        while (received.Count < count && await call.ResponseStream.MoveNext(timeout.Token))
        {
            received.Add(call.ResponseStream.Current);
        }

        return received;
    }
}
