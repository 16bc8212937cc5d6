using System.Collections.Concurrent;
using Gateway.Core.Agencies;
using Gateway.Core.Delivery;
using Gateway.Core.Storage;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>
/// Delivers from the store, never from memory alone: claims due deliveries with a lease, sends them to their
/// endpoints in batches (many calls in flight over each endpoint's connection), and records every outcome. The
/// store hands out only the oldest open delivery per recipient and case, so a case's messages arrive in order.
/// A crash loses nothing: unrecorded deliveries are claimed again and the endpoint discards what it already applied.
/// </summary>
public sealed class DeliveryDispatcher(
    IMessageStore store,
    AgencyDirectory directory,
    EndpointClients clients,
    RetryPolicy retries,
    EndpointBackoff backoff,
    WorkSignal work,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private static readonly StatusCode[] EndpointDown =
        [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.Unknown, StatusCode.ResourceExhausted];

    private readonly DeliveryOptions _options = options.Value;
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    private readonly ConcurrentDictionary<Uri, bool> _unaryOnly = new();
    private readonly ConcurrentDictionary<Uri, int> _inFlightByEndpoint = new();
    private readonly HashSet<string> _reportedWithoutEndpoint = [];
    private int _inFlight;

    public string Worker => _worker;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DeliveryLog.Started(logger, _worker, _options.BatchSize, _options.MaxInFlight);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full claim may have left more behind: claim again at once. Otherwise everything due was taken, and
                // new work (a message committed, a delivery finished) signals.
                if (await RoundAsync(stoppingToken) is var claimed && claimed > 0)
                {
                    if (claimed >= _options.BatchSize)
                    {
                        continue;
                    }

                    await work.WaitAsync(_options.IdlePoll, time, stoppingToken);
                    continue;
                }

                await work.WaitAsync(await IdleWaitAsync(stoppingToken), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                DeliveryLog.RoundFailed(logger, error);
                await work.WaitAsync(_options.IdlePoll, time, stoppingToken);
            }
        }
    }

    /// <summary>Claims what there is room for and sends it; returns how many it claimed.</summary>
    private async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        var room = _options.MaxInFlight - Volatile.Read(ref _inFlight);
        if (room <= 0)
        {
            return 0;
        }

        var max = Math.Min(room, _options.MaxInFlightPerEndpoint);
        var claimed = await store.ClaimDeliveriesAsync(_worker, _options.Lease, max, Excluded(), cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        Interlocked.Add(ref _inFlight, claimed.Count);
        foreach (var group in claimed.GroupBy(c => directory.TryGet(AgencyId.Parse(c.Delivery.Recipient), out var a) ? a.Endpoint : null))
        {
            _inFlightByEndpoint.AddOrUpdate(group.Key!, group.Count(), (_, n) => n + group.Count());
            foreach (var batch in Batches(group))
            {
                _ = SendAsync(group.Key!, batch, cancellationToken);
            }
        }

        return claimed.Count;
    }

    /// <summary>
    /// Packs an endpoint's claimed deliveries into batches of about <see cref="DeliveryOptions.BatchSize"/>, keeping each
    /// case's run to one recipient whole and in order within one batch: batches go out in parallel, so a run split across
    /// two could be applied out of order. A run longer than a batch makes a batch of its own.
    /// </summary>
    private IEnumerable<ClaimedDelivery[]> Batches(IEnumerable<ClaimedDelivery> deliveries)
    {
        var batch = new List<ClaimedDelivery>(_options.BatchSize);
        foreach (var run in deliveries.GroupBy(d => (d.Delivery.Recipient, d.Delivery.CaseReference)))
        {
            var ordered = run.OrderBy(d => d.Delivery.DeliveryId).ToArray();
            if (batch.Count > 0 && batch.Count + ordered.Length > _options.BatchSize)
            {
                yield return [.. batch];
                batch.Clear();
            }

            batch.AddRange(ordered);
        }

        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }

    /// <summary>
    /// Recipients not to claim for now: no endpoint to send to, an endpoint backed off as a whole, or one with as many
    /// deliveries in flight as it may have.
    /// </summary>
    private List<string> Excluded()
    {
        var now = time.GetUtcNow();
        var excluded = new List<string>();
        foreach (var agency in directory.Agencies)
        {
            if (agency.Endpoint is null)
            {
                if (_reportedWithoutEndpoint.Add(agency.Id.ToString()))
                {
                    DeliveryLog.NoEndpoint(logger, agency.Id.ToString());
                }

                excluded.Add(agency.Id.ToString());
            }
            else if (backoff.IsBackedOff(agency.Endpoint, now)
                || _inFlightByEndpoint.GetValueOrDefault(agency.Endpoint) >= _options.MaxInFlightPerEndpoint)
            {
                excluded.Add(agency.Id.ToString());
            }
        }

        return excluded;
    }

    private async Task<TimeSpan> IdleWaitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wait = _options.IdlePoll;
        if (await store.NextRetryDueAsync(now, cancellationToken) is { } due && due - now < wait)
        {
            wait = due - now;
        }

        if (backoff.NextEnd(now) is { } end && end - now < wait)
        {
            wait = end - now;
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private async Task SendAsync(Uri endpoint, ClaimedDelivery[] batch, CancellationToken cancellationToken)
    {
        try
        {
            var outcomes = await CallAsync(endpoint, batch, cancellationToken);
            var now = time.GetUtcNow();
            var completions = new List<DeliveryCompletion>(batch.Length);
            foreach (var claimed in batch)
            {
                var delivery = claimed.Delivery;
                if (outcomes.Results.TryGetValue(delivery.DeliveryId, out var outcome) && outcome != DeliveryOutcome.Unspecified)
                {
                    completions.Add(new DeliveryCompletion(
                        delivery.DeliveryId,
                        outcome == DeliveryOutcome.Duplicate ? DeliveryResolution.DeliveredDuplicate : DeliveryResolution.Delivered));
                    continue;
                }

                var error = outcomes.Error ?? "endpoint did not apply it";
                if (retries.NextAttempt(delivery.Attempts, delivery.CreatedAt, now) is { } retryAt)
                {
                    completions.Add(new DeliveryCompletion(delivery.DeliveryId, DeliveryResolution.RetryLater, retryAt, error));
                }
                else
                {
                    DeliveryLog.DeadLettered(logger, delivery.DeliveryId, delivery.MessageId, delivery.Recipient, delivery.Attempts, error);
                    completions.Add(new DeliveryCompletion(delivery.DeliveryId, DeliveryResolution.DeadLettered, null, error));
                }
            }

            await store.CompleteDeliveriesAsync(_worker, completions, CancellationToken.None);
        }
        catch (Exception error) when (cancellationToken.IsCancellationRequested || error is ObjectDisposedException)
        {
            // Shutting down: the leases run out and the next run delivers these again.
        }
        catch (Exception error)
        {
            DeliveryLog.RoundFailed(logger, error);
        }
        finally
        {
            Interlocked.Add(ref _inFlight, -batch.Length);
            _inFlightByEndpoint.AddOrUpdate(endpoint, 0, (_, n) => n - batch.Length);
            work.Notify();
        }
    }

    /// <summary>Sends a batch; a failed call is one error for all of it, and counts against the endpoint.</summary>
    private async Task<BatchOutcome> CallAsync(Uri endpoint, ClaimedDelivery[] batch, CancellationToken cancellationToken)
    {
        var client = clients.For(endpoint);
        try
        {
            var results = _unaryOnly.ContainsKey(endpoint)
                ? await DeliverOneByOneAsync(client, batch, cancellationToken)
                : await DeliverBatchAsync(endpoint, client, batch, cancellationToken);
            backoff.Succeeded(endpoint);
            return new BatchOutcome(results, null);
        }
        catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
        {
            DeliveryLog.CallFailed(logger, endpoint, error.StatusCode.ToString(), batch.Length);
            if (Array.IndexOf(EndpointDown, error.StatusCode) >= 0 && backoff.Failed(endpoint, time.GetUtcNow()) is { } until)
            {
                DeliveryLog.EndpointBackedOff(logger, endpoint, until);
            }

            return new BatchOutcome([], $"{error.StatusCode}");
        }
    }

    private async Task<Dictionary<long, DeliveryOutcome>> DeliverBatchAsync(
        Uri endpoint, AgencyEndpointService.AgencyEndpointServiceClient client, ClaimedDelivery[] batch, CancellationToken cancellationToken)
    {
        var request = new DeliverBatchRequest();
        foreach (var claimed in batch)
        {
            request.Deliveries.Add(DeliverRequestFactory.Create(claimed));
        }

        try
        {
            var response = await client.DeliverBatchAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
            var results = new Dictionary<long, DeliveryOutcome>(response.Results.Count);
            foreach (var result in response.Results)
            {
                if (long.TryParse(result.DeliveryId, out var id))
                {
                    results[id] = result.Outcome;
                }
            }

            return results;
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Unimplemented)
        {
            DeliveryLog.NoBatch(logger, endpoint);
            _unaryOnly[endpoint] = true;
            return await DeliverOneByOneAsync(client, batch, cancellationToken);
        }
    }

    /// <summary>
    /// For endpoints without DeliverBatch: one call per delivery, the cases in parallel, each case's run one call after
    /// the other and stopped at its first failure, so that nothing of a case is applied after a message that was not.
    /// </summary>
    private async Task<Dictionary<long, DeliveryOutcome>> DeliverOneByOneAsync(
        AgencyEndpointService.AgencyEndpointServiceClient client, ClaimedDelivery[] batch, CancellationToken cancellationToken)
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<long, DeliveryOutcome>();
        RpcException? firstError = null;
        await Task.WhenAll(batch.GroupBy(d => (d.Delivery.Recipient, d.Delivery.CaseReference)).Select(async run =>
        {
            foreach (var claimed in run.OrderBy(d => d.Delivery.DeliveryId))
            {
                try
                {
                    var response = await client.DeliverAsync(DeliverRequestFactory.Create(claimed), deadline: Deadline(), cancellationToken: cancellationToken);
                    outcomes[claimed.Delivery.DeliveryId] = response.Outcome;
                }
                catch (RpcException error)
                {
                    Interlocked.CompareExchange(ref firstError, error, null);
                    return; // The rest of this case waits for the retry; the other cases' results still count.
                }
            }
        }));

        // Nothing went through: a failed call, counted against the endpoint like a failed batch.
        return outcomes.IsEmpty && firstError is not null ? throw firstError : new(outcomes);
    }

    private DateTime Deadline() => DateTime.UtcNow + _options.Timeout;

    private sealed record BatchOutcome(Dictionary<long, DeliveryOutcome> Results, string? Error);
}
