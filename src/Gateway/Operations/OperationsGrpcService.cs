using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.Core.Delivery;
using Gateway.Core.Storage;
using Gateway.Identity;
using Gateway.Intake;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Operations;

/// <summary>
/// OperationsService on the wire: dead letters from the store, replays through it, and the directory as configured.
/// The operator interceptor has authorised and audits every call before it gets here.
/// </summary>
public sealed class OperationsGrpcService(IMessageStore store, AgencyDirectory directory, WorkSignal work, ILogger<OperationsGrpcService> logger)
    : OperationsService.OperationsServiceBase
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 500;

    public override async Task<ListDeadLettersResponse> ListDeadLetters(ListDeadLettersRequest request, ServerCallContext context)
    {
        if (!DeadLetterPageToken.TryRead(request.PageToken, out var after))
        {
            throw RefusalStatus.ToException(DeadLetterPageToken.Invalid);
        }

        var size = request.PageSize == 0 ? DefaultPageSize : (int)Math.Min(request.PageSize, MaxPageSize);

        // One more than the page tells whether another page follows, so the last page has no token.
        var query = OperationsWire.ToQuery(request.Filter) with { AfterDeliveryId = after, Limit = size + 1 };
        var found = await store.ListDeadLettersAsync(query, context.CancellationToken);
        var response = new ListDeadLettersResponse { DeadLetters = { found.Take(size).Select(OperationsWire.ToWire) } };
        if (found.Count > size)
        {
            response.NextPageToken = DeadLetterPageToken.Write(found[size - 1].Delivery.DeliveryId);
        }

        return response;
    }

    public override async Task<ReplayDeadLettersResponse> ReplayDeadLetters(ReplayDeadLettersRequest request, ServerCallContext context)
    {
        var name = context.GetOperator();
        IReadOnlyList<long> replayed;
        if (request.DeliveryIds.Count > 0)
        {
            // An id past the range of delivery ids names no dead letter; it must not turn the call into a replay by filter.
            var ids = request.DeliveryIds
                .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0)
                .Where(id => id > 0)
                .ToArray();
            replayed = ids.Length == 0 ? [] : await store.ReplayDeadLettersAsync(ids, null, name.Actor, request.Reason, context.CancellationToken);
        }
        else
        {
            replayed = await store.ReplayDeadLettersAsync([], OperationsWire.ToQuery(request.Filter), name.Actor, request.Reason, context.CancellationToken);
        }

        if (replayed.Count > 0)
        {
            OperationsLog.Replayed(logger, name.Value, replayed.Count);

            // The dispatcher would find them at its next poll; waking it sends them now.
            work.Notify();
        }

        return new ReplayDeadLettersResponse { ReplayedDeliveryIds = { replayed.Select(id => id.ToString(CultureInfo.InvariantCulture)) } };
    }

    public override Task<ListAgenciesResponse> ListAgencies(ListAgenciesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListAgenciesResponse { Agencies = { directory.Agencies.Select(OperationsWire.ToWire) } });

    public override Task<ListRoutesResponse> ListRoutes(ListRoutesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListRoutesResponse { Routes = { directory.Routes.Agreements.Select(OperationsWire.ToWire) } });
}
