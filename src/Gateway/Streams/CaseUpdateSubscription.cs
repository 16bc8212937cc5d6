using Gateway.Core.Agencies;
using Gateway.Core.Storage;
using Gateway.Delivery;
using Gateway.Identity;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Streams;

/// <summary>
/// One agency's subscription to its case updates. The feed is read from the store, never pushed by publishers, so a
/// slow subscriber costs publishers nothing; what it holds is bounded by one page and by the transport's buffers, and
/// a write that waits past <see cref="StreamOptions.WriteTimeout"/> ends the subscription for the client to resume.
/// </summary>
public sealed class CaseUpdateSubscription(
    IUpdateFeed store,
    UpdateFeedSignal feed,
    StreamDrain drain,
    IOptions<StreamOptions> options,
    TimeProvider time,
    ILogger<CaseUpdateSubscription> logger)
{
    public async Task RunAsync(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responses, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var cases = request.CaseReferences.ToArray();
        var last = (long)Math.Min(request.AfterSequence, long.MaxValue);
        StreamLog.Opened(logger, caller.ToString(), last, cases.Length);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.Stopping);
        try
        {
            while (true)
            {
                // Read the version first: an update committed after the read moves it, so the wait below returns at once.
                var version = feed.Version;
                var page = await store.ReadFeedAsync(caller.ToString(), cases, last, options.Value.PageSize, stop.Token);
                foreach (var entry in page)
                {
                    // Counted as sent once the write starts: from then on it is in the transport, ahead of any status.
                    last = entry.Sequence;
                    await WriteAsync(responses, ToResponse(entry), caller, context, stop.Token);
                }

                if (page.Count < options.Value.PageSize)
                {
                    await feed.WaitAfterAsync(version, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (drain.Stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            StreamLog.ShutDown(logger, caller.ToString(), last);
            throw SubscriptionEnd.ShuttingDown(last);
        }
        catch (Exception error) when (ClientCancellation.Ended(error, context))
        {
            throw ClientCancellation.Status();
        }
    }

    private async Task WriteAsync(
        IServerStreamWriter<SubscribeResponse> responses, SubscribeResponse response, AgencyId caller, ServerCallContext context, CancellationToken cancellationToken)
    {
        // No cancellation token to the write itself: cancelling a gRPC write aborts the call, and the client would never
        // see the status that tells it where to resume.
        var write = responses.WriteAsync(response);
        try
        {
            await write.WaitAsync(options.Value.WriteTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            StreamLog.TooSlow(logger, caller.ToString(), options.Value.WriteTimeout, (long)response.Sequence);
            await SettleAsync(write, caller, context);
            throw SubscriptionEnd.TooSlow((long)response.Sequence);
        }
        catch (OperationCanceledException)
        {
            await SettleAsync(write, caller, context);
            throw;
        }
    }

    /// <summary>
    /// Ends a write that is still in flight before the call ends: the call must not end with a write pending on its
    /// response (Kestrel reuses the stream's objects for later calls on the connection, and a write left behind once
    /// broke the next subscription there). The client gets <see cref="StreamOptions.WriteTimeout"/> more to read what it
    /// was sent, after which the status follows; a client that still reads nothing has its stream reset, as a status
    /// cannot pass data it does not read.
    /// </summary>
    private async Task SettleAsync(Task write, AgencyId caller, ServerCallContext context)
    {
        if (!await EndsWithinTimeoutAsync(write))
        {
            StreamLog.Abandoned(logger, caller.ToString(), options.Value.WriteTimeout);
            context.GetHttpContext().Abort();

            // An aborted stream fails its pending write at once; the call ends either way.
            await EndsWithinTimeoutAsync(write);
        }
    }

    /// <summary>Whether the write ended, done or failed, within <see cref="StreamOptions.WriteTimeout"/>.</summary>
    private async Task<bool> EndsWithinTimeoutAsync(Task write)
    {
        try
        {
            await write.WaitAsync(options.Value.WriteTimeout, time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception)
        {
            // Failed (the client went away, or the stream was aborted): nothing is pending any more.
            return true;
        }
    }

    private static SubscribeResponse ToResponse(FeedEntry entry)
    {
        var update = PublishUpdatesRequest.Parser.ParseFrom(entry.Payload);
        return new SubscribeResponse { Sequence = (ulong)entry.Sequence, Header = update.Header, Update = update.Update };
    }
}
