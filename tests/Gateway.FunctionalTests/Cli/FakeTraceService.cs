using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Cli;

/// <summary>
/// A TraceService that answers what the test set and records what it was asked and by whom, to test gatewayctl's
/// trace commands before the real service is merged.
/// </summary>
internal sealed class FakeTraceService : TraceService.TraceServiceBase
{
    public GetMessageTraceResponse Trace { get; init; } = new();

    public SearchMessagesResponse Page { get; init; } = new();

    public IReadOnlyList<WatchFlowResponse> Flow { get; init; } = [];

    public GetMessageContentResponse Content { get; init; } = new();

    /// <summary>Every request received, with the caller's identity headers.</summary>
    public ConcurrentQueue<(IMessage Request, string? Agency, string? Operator)> Calls { get; } = new();

    /// <summary>Completed when a WatchFlow stream ended because its caller went away.</summary>
    public TaskCompletionSource WatchCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task<GetMessageTraceResponse> GetMessageTrace(GetMessageTraceRequest request, ServerCallContext context)
    {
        Record(request, context);
        return Task.FromResult(Trace);
    }

    public override Task<SearchMessagesResponse> SearchMessages(SearchMessagesRequest request, ServerCallContext context)
    {
        Record(request, context);
        return Task.FromResult(Page);
    }

    public override async Task WatchFlow(WatchFlowRequest request, IServerStreamWriter<WatchFlowResponse> responseStream, ServerCallContext context)
    {
        Record(request, context);
        foreach (var flow in Flow)
        {
            await responseStream.WriteAsync(flow);
        }

        // A live flow has no end: it stays open until the caller leaves.
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            WatchCancelled.TrySetResult();
        }
    }

    public override Task<GetMessageContentResponse> GetMessageContent(GetMessageContentRequest request, ServerCallContext context)
    {
        Record(request, context);
        return Task.FromResult(Content);
    }

    private void Record(IMessage request, ServerCallContext context) =>
        Calls.Enqueue((request, context.RequestHeaders.GetValue("x-liaison-agency"), context.RequestHeaders.GetValue("x-liaison-operator")));
}
