using Gateway.Core.Audit;
using System.Globalization;
using Gateway.Audit;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Gateway.Delivery;
using Gateway.Identity;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Operations;

/// <summary>
/// OperationsService on the wire: dead letters and held messages from the store, replays and review decisions through
/// it (each delivery they would send checked again against the route agreements in effect), and the directory snapshot.
/// The operator interceptor has authorised every call before it gets here; it audits the calls, the refusal boundary those refused.
/// </summary>
public sealed partial class OperationsGrpcService(
    IOperationsStore store, IDeliveryRouteCheck routes, IAuditLog audit, IAgencyDirectoryProvider directories, WorkSignal work, ILogger<OperationsGrpcService> logger)
    : OperationsService.OperationsServiceBase
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 500;

    private static readonly CallRefusal UnknownMessage = new(
        StatusCode.NotFound,
        "message_unknown",
        "No message has this id; take the id from ListHeldMessages.",
        [new FieldError("message_id", "must be the id of a message held for review")]);

    private static readonly CallRefusal NotHeld = new(
        StatusCode.FailedPrecondition,
        "not_held_for_review",
        "The message is not awaiting review: it was never held, a reviewer already decided on it, or its sender withdrew it.",
        [new FieldError("message_id", "must be the id of a message awaiting review (see ListHeldMessages)")]);

    public override async Task<ListDeadLettersResponse> ListDeadLetters(ListDeadLettersRequest request, ServerCallContext context)
    {
        var (after, size) = Page(context, PageToken.DeadLetters, request.PageToken, request.PageSize);

        // One more than the page tells whether another page follows, so the last page has no token.
        var query = OperationsWire.ToQuery(request.Filter) with { AfterDeliveryId = after, Limit = size + 1 };
        var found = await store.ListDeadLettersAsync(query, context.CancellationToken);
        var response = new ListDeadLettersResponse { DeadLetters = { found.Take(size).Select(OperationsWire.ToWire) } };
        if (found.Count > size)
        {
            response.NextPageToken = PageToken.DeadLetters.Write(found[size - 1].Delivery.DeliveryId);
        }

        return response;
    }

    public override async Task<ReplayDeadLettersResponse> ReplayDeadLetters(ReplayDeadLettersRequest request, ServerCallContext context)
    {
        var name = context.GetOperator();
        ReplayResult result;
        if (request.DeliveryIds.Count > 0)
        {
            // An id past the range of delivery ids names no dead letter; it must not turn the call into a replay by filter.
            var ids = request.DeliveryIds
                .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0)
                .Where(id => id > 0)
                .ToArray();
            result = ids.Length == 0 ? new ReplayResult([], []) : await store.ReplayDeadLettersAsync(routes, ids, null, name.Actor, request.Reason, context.CancellationToken);
        }
        else
        {
            result = await store.ReplayDeadLettersAsync(routes, [], OperationsWire.ToQuery(request.Filter), name.Actor, request.Reason, context.CancellationToken);
        }

        if (result.NotAgreed.Count > 0)
        {
            OperationsLog.ReplayNotAgreed(logger, name.Value, result.NotAgreed.Count);
        }

        var replayed = result.Replayed;
        if (replayed.Count > 0)
        {
            OperationsLog.Replayed(logger, name.Value, replayed.Count);

            // The dispatcher would find them at its next poll; waking it sends them now.
            work.Notify();
        }

        return new ReplayDeadLettersResponse
        {
            ReplayedDeliveryIds = { replayed.Select(id => id.ToString(CultureInfo.InvariantCulture)) },
            NotAgreedDeliveryIds = { result.NotAgreed.Select(id => id.ToString(CultureInfo.InvariantCulture)) },
        };
    }

    public override async Task<ListHeldMessagesResponse> ListHeldMessages(ListHeldMessagesRequest request, ServerCallContext context)
    {
        var (after, size) = Page(context, PageToken.HeldMessages, request.PageToken, request.PageSize);
        var found = await store.ListHeldMessagesAsync(after, size + 1, context.CancellationToken);
        var response = new ListHeldMessagesResponse { HeldMessages = { found.Take(size).Select(OperationsWire.ToWire) } };

        // The page shows what senders wrote, personal data included: who was shown which message is on record first.
        var actor = context.GetOperator().Actor;
        await audit.AppendAsync(
            [.. response.HeldMessages.Select(m => AuditEntries.Consulted(actor, m.MessageId, nameof(ListHeldMessages)))], context.CancellationToken);
        if (found.Count > size)
        {
            response.NextPageToken = PageToken.HeldMessages.Write(found[size - 1].Position);
        }

        return response;
    }

    public override async Task<ReviewHeldMessageResponse> ReviewHeldMessage(ReviewHeldMessageRequest request, ServerCallContext context)
    {
        var name = context.GetOperator();
        var decision = request.Decision;
        var result = await store.ReviewHeldMessageAsync(routes, request.MessageId, decision, name.Actor, request.Reason, context.CancellationToken);
        switch (result.Status)
        {
            case ReviewStatus.NotFound:
                throw RefusalBoundary.Refuse(context, UnknownMessage);
            case ReviewStatus.NotHeld:
                throw RefusalBoundary.Refuse(context, NotHeld);
        }

        OperationsLog.Reviewed(logger, name.Value, request.MessageId, decision.ToString(), result.Recipients.Count);
        if (result.NotAgreed.Count > 0)
        {
            OperationsLog.ReleaseNotAgreed(logger, name.Value, request.MessageId, result.NotAgreed.Count);
        }

        if (decision == ReviewDecision.Release)
        {
            work.Notify();
        }

        return new ReviewHeldMessageResponse
        {
            MessageId = request.MessageId,
            Decision = request.Decision,
            Recipients = { result.Recipients },
            NotAgreedRecipients = { result.NotAgreed },
        };
    }

    public override Task<ListAgenciesResponse> ListAgencies(ListAgenciesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListAgenciesResponse { Agencies = { directories.GetDirectory().Agencies.Select(OperationsWire.ToWire) } });

    public override Task<ListRoutesResponse> ListRoutes(ListRoutesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListRoutesResponse { Routes = { directories.GetDirectory().Routes.Agreements.Select(OperationsWire.ToWire) } });

    /// <summary>Overdue replies, most overdue first: no content is shown, so the call is on record as an operator call only.</summary>
    public override async Task<ListOverdueResponse> ListOverdue(ListOverdueRequest request, ServerCallContext context)
    {
        if (!PageToken.Overdue.TryRead(request.PageToken, out var afterDue, out var afterId))
        {
            throw RefusalBoundary.Refuse(context, PageToken.Overdue.Invalid);
        }

        var size = request.PageSize == 0 ? DefaultPageSize : (int)Math.Min(request.PageSize, MaxPageSize);
        var query = OperationsWire.ToQuery(request) with { AfterDue = AuditChain.FromMicroseconds(afterDue), AfterDeliveryId = afterId, Limit = size + 1 };
        var found = await store.ListOverdueAsync(query, context.CancellationToken);
        var response = new ListOverdueResponse { Overdue = { found.Take(size).Select(OperationsWire.ToWire) } };
        if (found.Count > size)
        {
            var last = found[size - 1];
            response.NextPageToken = PageToken.Overdue.Write(AuditChain.ToMicroseconds(last.Due), last.DeliveryId);
        }

        return response;
    }

    /// <summary>Where a page starts and how long it is; a token this list did not give out is refused.</summary>
    private static (long After, int Size) Page(ServerCallContext context, PageToken tokens, string token, uint pageSize) =>
        tokens.TryRead(token, out var after)
            ? (after, pageSize == 0 ? DefaultPageSize : (int)Math.Min(pageSize, MaxPageSize))
            : throw RefusalBoundary.Refuse(context, tokens.Invalid);
}
