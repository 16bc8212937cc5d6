using Gateway.Audit;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Gateway.Core.Trace;
using Gateway.Intake;
using Gateway.Operations;
using Gateway.Streams;
using Google.Protobuf;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Trace;

/// <summary>
/// TraceService on the wire: a message's timeline, its content behind a stated reason, searches and the flow of events.
/// The caller is an operator (the operator check let it through and audits the call) or an agency (the identity check
/// resolved it), and <see cref="TraceVisibility"/> decides what it sees. A message it may not see is refused as PERMISSION_DENIED through
/// the refusal boundary, which audits it within the refusal budget and names no other agency.
/// </summary>
public sealed class TraceGrpcService(ITraceStore store, IAuditLog audit, StreamDrain drain, IOptions<StreamOptions> streams)
    : TraceService.TraceServiceBase
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 500;

    /// <summary>How many messages a page of a search may examine: what bounds the cost of a page whose filter no index serves.</summary>
    public const int ExaminedPerPage = 5000;

    private static readonly CallRefusal UnknownMessage = new(
        StatusCode.NotFound,
        "message_unknown",
        "No message has this id and no refusal of one is recorded; check the id (a lower-case UUID, as in the receipt).",
        [new FieldError("message_id", "must be the id of a message sent through this gateway")])
    {
        Budgeted = true,
    };

    private static readonly CallRefusal NotAParty = new(
        StatusCode.PermissionDenied,
        "not_a_party",
        "The calling agency neither sent this message nor was addressed by it; an agency traces only its own messages.",
        [new FieldError("message_id", "must be a message the calling agency sent or was addressed by")])
    {
        Budgeted = true,
    };

    public override async Task<GetMessageTraceResponse> GetMessageTrace(GetMessageTraceRequest request, ServerCallContext context)
    {
        var viewer = TraceCaller.ViewerOf(context);
        var trace = await store.GetMessageTraceAsync(request.MessageId, context.CancellationToken);
        if (trace is null || (trace.Message is null && !trace.Events.Any(e => TraceVisibility.IsRefusalOfMessage(e, InterceptScope.TraceServicePath))))
        {
            throw Refuse(context, UnknownMessage, request.MessageId);
        }

        if (!TraceVisibility.MaySee(viewer, trace, InterceptScope.TraceServicePath))
        {
            throw Refuse(context, NotAParty, request.MessageId);
        }

        var response = new GetMessageTraceResponse
        {
            Events = { trace.Events.Where(e => TraceVisibility.Shows(viewer, e)).Select(TraceWire.ToEvent) },
            LinkedFrom = { trace.LinkedFrom },
        };
        if (trace.Message is { } stored)
        {
            response.Message = TraceWire.ToSummary(stored);
            response.Deliveries.AddRange(stored.Deliveries.Select(TraceWire.ToWire));
        }

        return response;
    }

    /// <summary>The content, once the showing and its reason are on record: an entry written after it could be lost to a crash.</summary>
    public override async Task<GetMessageContentResponse> GetMessageContent(GetMessageContentRequest request, ServerCallContext context)
    {
        var viewer = TraceCaller.ViewerOf(context);
        var message = await store.FindTracedMessageAsync(request.MessageId, context.CancellationToken)
            ?? throw Refuse(context, UnknownMessage, request.MessageId);
        if (!TraceVisibility.MaySee(viewer, message))
        {
            throw Refuse(context, NotAParty, request.MessageId);
        }

        var consulted = await audit.AppendAsync(
            [AuditEntries.Consulted(viewer.Actor, request.MessageId, nameof(GetMessageContent), request.Reason)], context.CancellationToken);
        return new GetMessageContentResponse
        {
            Message = TraceWire.ToSummary(message),
            Content = OperationsWire.ContentOf(message.Message),
            ConsultedSequence = (ulong)consulted,
        };
    }

    /// <summary>
    /// Messages matching a filter, a page at a time by position (a message accepted meanwhile is on no page of a
    /// newest-first search already begun). A search by case reads one index range; any other filter examines at most
    /// <see cref="ExaminedPerPage"/> messages per page, so a page may come back short, or empty, with a token to go on.
    /// </summary>
    public override async Task<SearchMessagesResponse> SearchMessages(SearchMessagesRequest request, ServerCallContext context)
    {
        var viewer = TraceCaller.ViewerOf(context);
        var filter = request.Filter ?? new MessageFilter();
        var newestFirst = request.Order != SearchOrder.OldestFirst;
        var fingerprint = SearchFingerprint(filter, newestFirst);
        if (!PageToken.Search.TryRead(request.PageToken, out var after, out var tokenFingerprint)
            || (request.PageToken.Length > 0 && tokenFingerprint != fingerprint))
        {
            throw RefusalBoundary.Refuse(context, PageToken.Search.Invalid);
        }

        var search = new MessageSearch(
            NullIfEmpty(filter.CaseReference),
            NullIfEmpty(filter.Sender),
            NullIfEmpty(filter.Recipient),
            filter.Kind.Length == 0 ? null : Enum.Parse<MessageKind>(filter.Kind),
            TraceWire.ToState(filter.Status),
            filter.AcceptedFrom?.ToDateTimeOffset(),
            filter.AcceptedUntil?.ToDateTimeOffset(),
            viewer.Agency,
            newestFirst,
            after,
            request.PageSize == 0 ? DefaultPageSize : (int)Math.Min(request.PageSize, MaxPageSize),
            ExaminedPerPage);
        var page = await store.SearchMessagesAsync(search, context.CancellationToken);
        var response = new SearchMessagesResponse
        {
            Messages =
            {
                page.Messages.Select(m => new MessageMatch { Message = TraceWire.ToSummary(m), Deliveries = { m.Deliveries.Select(TraceWire.ToWire) } }),
            },
        };
        if (page.ContinueAfter is { } next)
        {
            response.NextPageToken = PageToken.Search.Write(next, fingerprint);
        }

        return response;
    }

    /// <summary>
    /// The flow read from the audit log, never pushed by writers: a page at a time up to what is on disk, then a wait
    /// until a flush makes more durable. Each event's sequence is where a client resumes; the stream ends on the client's
    /// cancellation, and at shutdown with UNAVAILABLE and the sequence to resume after.
    /// </summary>
    public override async Task WatchFlow(WatchFlowRequest request, IServerStreamWriter<WatchFlowResponse> responseStream, ServerCallContext context)
    {
        var filter = new FlowFilter(request, TraceCaller.ViewerOf(context));
        var scanned = request.HasAfterSequence ? (long)Math.Min(request.AfterSequence, long.MaxValue) : store.DurableAuditSequence;
        var sent = scanned;
        var pageSize = streams.Value.PageSize;

        // The headers tell a client that the stream's start is fixed: an event committed after it has them is sent.
        await context.WriteResponseHeadersAsync([]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.Stopping);
        try
        {
            while (true)
            {
                var horizon = store.DurableAuditSequence;
                var page = await store.ReadFlowAsync(scanned, horizon, pageSize, stop.Token);
                foreach (var flow in page)
                {
                    scanned = flow.Entry.Sequence;
                    if (filter.Matches(flow))
                    {
                        // No token to the write: cancelling a gRPC write aborts the call, and the status would be lost.
                        await responseStream.WriteAsync(FlowFilter.ToResponse(flow));
                        sent = scanned;
                    }
                }

                if (page.Count < pageSize)
                {
                    // Everything up to the horizon was read: entries that name no message are no events.
                    scanned = Math.Max(scanned, horizon);
                    await store.WaitForAuditAfterAsync(scanned, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (drain.Stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw SubscriptionEnd.ShuttingDown(sent);
        }
        catch (Exception error) when (ClientCancellation.Ended(error, context))
        {
            throw ClientCancellation.Status();
        }
    }

    /// <summary>
    /// A token names the search it continues: one given out for another filter or order would page through a
    /// different list from a position that means nothing there.
    /// </summary>
    private static long SearchFingerprint(MessageFilter filter, bool newestFirst)
    {
        Span<byte> hash = stackalloc byte[32];
        var text = filter.ToByteArray().Append(newestFirst ? (byte)1 : (byte)0).ToArray();
        System.Security.Cryptography.SHA256.HashData(text, hash);
        return (BitConverter.ToInt64(hash) & long.MaxValue) | 1;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static RpcException Refuse(ServerCallContext context, CallRefusal refusal, string messageId) =>
        RefusalBoundary.Refuse(context, refusal with { MessageId = messageId });
}
