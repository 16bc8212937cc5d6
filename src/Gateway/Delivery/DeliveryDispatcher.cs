using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Core.Agencies;
using Gateway.Core.Delivery;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Telemetry;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery;

/// <summary>
/// Delivers from the store, never from memory alone: claims due deliveries with a lease, sends them to their
/// endpoints in batches (many calls in flight over each endpoint's connection), and records every outcome. The
/// store hands out only the oldest open delivery per recipient and case, so a case's messages arrive in order.
/// A crash loses nothing: unrecorded deliveries are claimed again and the endpoint discards what it already applied.
/// An endpoint that keeps failing is backed off by its <see cref="EndpointBreaker"/>; when the back-off ends, one probe
/// goes out before the rest. A delivery claimed but never sent is given back without counting an attempt. Each round
/// reads one directory snapshot: an edit of the directory applies from the next round on. Every answer is checked against
/// the contract's rules before it counts: an invalid one is a failed attempt, retried. A refusal or a question of the
/// recipient is final for its delivery and is sent back to the message's sender as a notice.
/// </summary>
public sealed class DeliveryDispatcher(
    IDeliveryQueue store,
    IAgencyDirectoryProvider directories,
    EndpointClients clients,
    EndpointAnswers answers,
    RetryPolicy retries,
    EndpointBreaker breaker,
    WorkSignal work,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    GatewayMetrics metrics,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private static readonly StatusCode[] EndpointDown =
        [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.Unknown, StatusCode.ResourceExhausted];

    private readonly DeliveryOptions _options = options.Value;
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    private readonly ConcurrentDictionary<Uri, bool> _unaryOnly = new();
    private readonly ConcurrentDictionary<Uri, int> _inFlightByEndpoint = new();
    private readonly HashSet<string> _withoutEndpoint = [];
    private int _inFlight;

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
            catch (StoreUnavailableException)
            {
                // The store logged its failure once and health says NOT_SERVING; a log line per round would add nothing.
                await work.WaitAsync(_options.IdlePoll, time, stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                DeliveryLog.RoundFailed(logger, error);
                await work.WaitAsync(_options.IdlePoll, time, stoppingToken);
            }
        }
    }

    /// <summary>Probes the endpoints whose back-off ended, claims what there is room for and sends it; returns how many it claimed.</summary>
    private async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        var directory = directories.GetDirectory();
        var probed = await ProbeAsync(directory, cancellationToken);
        var room = _options.MaxInFlight - Volatile.Read(ref _inFlight);
        if (room <= 0)
        {
            return probed;
        }

        var max = Math.Min(room, _options.MaxInFlightPerEndpoint);
        var claimed = await store.ClaimDeliveriesAsync(_worker, _options.Lease, max, Excluded(directory), cancellationToken);
        var unsendable = new List<DeliveryRecord>();
        foreach (var group in claimed.GroupBy(c => directory.TryGet(AgencyId.Parse(c.Delivery.Recipient), out var a) ? a.Endpoint : null))
        {
            if (group.Key is null)
            {
                // Only a recipient no longer in the directory gets here (the others without an endpoint were excluded):
                // its deliveries wait, unclaimed from now on, until an edit of the directory brings it back.
                foreach (var recipient in group.Select(c => c.Delivery.Recipient).Distinct())
                {
                    ReportWithoutEndpoint(recipient);
                }

                unsendable.AddRange(group.Select(c => c.Delivery));
                continue;
            }

            Start(group.Key, [.. group], probe: false, cancellationToken);
        }

        if (unsendable.Count > 0)
        {
            await store.ReleaseDeliveriesAsync(_worker, unsendable, cancellationToken);
        }

        return probed + claimed.Count;
    }

    /// <summary>
    /// Sends each half-open endpoint its probe: its oldest due deliveries, at most <see cref="DeliveryOptions.ProbeBatchSize"/>,
    /// in one call, claimed for its recipients alone. Nothing else is claimed for it until the probe's outcome closes the
    /// breaker or opens it again.
    /// </summary>
    private async Task<int> ProbeAsync(AgencyDirectory directory, CancellationToken cancellationToken)
    {
        var probed = 0;
        foreach (var endpoint in directory.Agencies.Where(a => a.Endpoint is not null).GroupBy(a => a.Endpoint!))
        {
            if (!breaker.TryBeginProbe(endpoint.Key, time.GetUtcNow()))
            {
                continue;
            }

            IReadOnlyList<ClaimedDelivery> probe = [];
            try
            {
                var recipients = endpoint.Select(a => a.Id.ToString()).ToArray();
                probe = await store.ClaimDeliveriesToAsync(_worker, _options.Lease, _options.ProbeBatchSize, recipients, cancellationToken);
            }
            finally
            {
                if (probe.Count == 0)
                {
                    breaker.EndProbe(endpoint.Key);
                }
            }

            if (probe.Count > 0)
            {
                Start(endpoint.Key, probe, probe: true, cancellationToken);
                probed += probe.Count;
            }
        }

        return probed;
    }

    private void Start(Uri endpoint, IReadOnlyList<ClaimedDelivery> deliveries, bool probe, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _inFlight, deliveries.Count);
        _inFlightByEndpoint.AddOrUpdate(endpoint, deliveries.Count, (_, n) => n + deliveries.Count);
        foreach (var batch in Batches(deliveries))
        {
            _ = SendAsync(endpoint, batch, probe, cancellationToken);
        }
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
    /// Recipients not to claim for now: no endpoint to send to (none configured, or no longer in the directory), an
    /// endpoint whose breaker is not closed (backed off, or waiting for its probe), or one with as many deliveries in
    /// flight as it may have.
    /// </summary>
    private List<string> Excluded(AgencyDirectory directory)
    {
        var now = time.GetUtcNow();
        var excluded = _withoutEndpoint.Where(id => !AgencyId.TryParse(id, out var agency) || !directory.TryGet(agency, out _)).ToList();
        foreach (var agency in directory.Agencies)
        {
            if (agency.Endpoint is null)
            {
                ReportWithoutEndpoint(agency.Id.ToString());
                excluded.Add(agency.Id.ToString());
            }
            else if (breaker.State(agency.Endpoint, now) != EndpointState.Closed
                || _inFlightByEndpoint.GetValueOrDefault(agency.Endpoint) >= _options.MaxInFlightPerEndpoint)
            {
                excluded.Add(agency.Id.ToString());
            }
        }

        return excluded;
    }

    private void ReportWithoutEndpoint(string recipient)
    {
        if (_withoutEndpoint.Add(recipient))
        {
            DeliveryLog.NoEndpoint(logger, recipient);
        }
    }

    private async Task<TimeSpan> IdleWaitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wait = _options.IdlePoll;
        if (await store.NextRetryDueAsync(now, cancellationToken) is { } due && due - now < wait)
        {
            wait = due - now;
        }

        if (breaker.NextEnd(now) is { } end && end - now < wait)
        {
            wait = end - now;
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>
    /// Sends a batch and records each delivery's outcome; those not sent (the breaker opened since the claim, or an
    /// earlier delivery of their case failed first) are given back without counting an attempt.
    /// </summary>
    private async Task SendAsync(Uri endpoint, ClaimedDelivery[] batch, bool probe, CancellationToken cancellationToken)
    {
        using var spans = DeliveryAttemptSpans.Start(endpoint, batch);
        try
        {
            var startedAt = Stopwatch.GetTimestamp();
            var outcomes = MayCall(endpoint, probe)
                ? await CallAsync(endpoint, batch, probe, cancellationToken)
                : new BatchOutcome([], [.. batch.Select(c => c.Delivery.DeliveryId)], null);
            var elapsed = Stopwatch.GetElapsedTime(startedAt);
            metrics.DeliveryAttempted(elapsed, batch.Length - outcomes.NotSent.Count);
            var now = time.GetUtcNow();
            var completions = new List<DeliveryCompletion>(batch.Length);
            var unsent = new List<DeliveryRecord>();
            foreach (var claimed in batch)
            {
                var delivery = claimed.Delivery;
                if (outcomes.NotSent.Contains(delivery.DeliveryId))
                {
                    unsent.Add(delivery);
                    continue;
                }

                outcomes.Results.TryGetValue(delivery.DeliveryId, out var answer);
                if (answer is { Invalid: null } && Completion(claimed, answer, now) is { } completion)
                {
                    completions.Add(completion);
                    continue;
                }

                var error = answer?.Invalid
                    ?? (outcomes.Error is { } failed && outcomes.Results.Count == 0 ? clients.Failure(endpoint, failed) : "endpoint did not apply it");
                if (retries.NextAttempt(delivery.Attempts, delivery.CreatedAt, now) is { } retryAt)
                {
                    completions.Add(new DeliveryCompletion(delivery, DeliveryResolution.RetryLater, retryAt, error));
                }
                else
                {
                    DeliveryLog.DeadLettered(logger, delivery.DeliveryId, delivery.MessageId, delivery.Recipient, delivery.Attempts, error);
                    completions.Add(new DeliveryCompletion(delivery, DeliveryResolution.DeadLettered, null, error));
                }
            }

            // Each attempt is audited with the time of the call that carried it (one call may carry a batch).
            var recorded = await store.RecordDeliveriesAsync(_worker, [.. completions.Select(c => c with { Duration = elapsed })], CancellationToken.None);
            metrics.DeliveriesCompleted(recorded);
            spans.Completed(recorded, unsent);
            if (outcomes.Error is { } callError)
            {
                spans.CallFailed(callError.StatusCode.ToString());
            }

            await store.ReleaseDeliveriesAsync(_worker, unsent, CancellationToken.None);
        }
        catch (Exception error) when (cancellationToken.IsCancellationRequested || error is ObjectDisposedException)
        {
            // Shutting down: the leases run out and the next run delivers these again.
        }
        catch (StoreUnavailableException)
        {
            // The outcomes could not be recorded: the store reported why and health says NOT_SERVING. The leases run
            // out and the deliveries go out again; the endpoint discards what it already applied.
        }
        catch (Exception error)
        {
            DeliveryLog.RoundFailed(logger, error);
        }
        finally
        {
            if (probe)
            {
                breaker.EndProbe(endpoint);
            }

            Interlocked.Add(ref _inFlight, -batch.Length);
            _inFlightByEndpoint.AddOrUpdate(endpoint, 0, (_, n) => n - batch.Length);
            work.Notify();
        }
    }

    /// <summary>
    /// What a valid answer makes of the attempt: delivered, or a refusal or a question (final); null when the endpoint did
    /// not apply it (the attempt failed).
    /// </summary>
    private DeliveryCompletion? Completion(ClaimedDelivery claimed, CallAnswer answer, DateTimeOffset now)
    {
        var delivery = claimed.Delivery;
        switch (answer.Outcome)
        {
            case DeliveryOutcome.Applied:
                return new DeliveryCompletion(delivery, DeliveryResolution.Delivered);
            case DeliveryOutcome.Duplicate:
                return new DeliveryCompletion(delivery, DeliveryResolution.DeliveredDuplicate);
            case DeliveryOutcome.Refused:
                var reason = EndpointAnswer.ReasonName(answer.Refusal!.Reason);
                DeliveryLog.RefusedByRecipient(logger, delivery.DeliveryId, delivery.MessageId, delivery.Recipient, reason);
                return new DeliveryCompletion(delivery, DeliveryResolution.Refused)
                {
                    Answer = EndpointAnswer.Refused(claimed, answer.Refusal, now),
                };
            case DeliveryOutcome.ClarificationRequested:
                DeliveryLog.ClarificationRequested(logger, delivery.DeliveryId, delivery.MessageId, delivery.Recipient);
                return new DeliveryCompletion(delivery, DeliveryResolution.ClarificationRequested)
                {
                    Answer = EndpointAnswer.Asked(claimed, answer.Question, now),
                };
            default:
                return null;
        }
    }

    /// <summary>
    /// Sends a batch. A call that failed before any delivery went through is one error for all of it and, if the endpoint
    /// seems down, counts against its breaker; any answer from the endpoint closes it.
    /// </summary>
    private async Task<BatchOutcome> CallAsync(Uri endpoint, ClaimedDelivery[] batch, bool probe, CancellationToken cancellationToken)
    {
        var client = clients.For(endpoint);
        BatchOutcome outcome;
        try
        {
            outcome = _unaryOnly.ContainsKey(endpoint)
                ? await DeliverOneByOneAsync(endpoint, client, batch, probe, cancellationToken)
                : await DeliverBatchAsync(endpoint, client, batch, probe, cancellationToken);
        }
        catch (RpcException error)
        {
            outcome = new BatchOutcome([], [], error);
        }

        if (outcome.NotSent.Count == batch.Length)
        {
            // The breaker opened before the first call went out: nothing was asked of the endpoint.
            return outcome;
        }

        if (outcome.Error is { } failure && outcome.Results.Count == 0)
        {
            // Shutting down cut the call short: nothing is known of it (see SendAsync).
            cancellationToken.ThrowIfCancellationRequested();
            DeliveryLog.CallFailed(logger, endpoint, failure.StatusCode.ToString(), batch.Length);
            if (Array.IndexOf(EndpointDown, failure.StatusCode) >= 0)
            {
                if (breaker.Failed(endpoint, probe, time.GetUtcNow()) is { } until)
                {
                    if (probe)
                    {
                        DeliveryLog.ProbeFailed(logger, endpoint, failure.StatusCode.ToString(), until);
                    }
                    else
                    {
                        DeliveryLog.EndpointBackedOff(logger, endpoint, until);
                    }
                }

                return outcome;
            }
        }

        if (probe)
        {
            DeliveryLog.EndpointBack(logger, endpoint);
        }

        breaker.Succeeded(endpoint);
        return outcome;
    }

    private async Task<BatchOutcome> DeliverBatchAsync(
        Uri endpoint, AgencyEndpointService.AgencyEndpointServiceClient client, ClaimedDelivery[] batch, bool probe, CancellationToken cancellationToken)
    {
        var request = new DeliverBatchRequest();
        foreach (var claimed in batch)
        {
            request.Deliveries.Add(DeliverRequestFactory.Create(claimed));
        }

        try
        {
            var response = await client.DeliverBatchAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
            var results = new Dictionary<long, CallAnswer>(response.Results.Count);
            foreach (var result in response.Results)
            {
                if (long.TryParse(result.DeliveryId, out var id))
                {
                    results[id] = Checked(endpoint, id, result, new CallAnswer(result.Outcome, result.Refusal, result.ClarificationQuestion));
                }
            }

            return new BatchOutcome(results, [], null);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Unimplemented)
        {
            DeliveryLog.NoBatch(logger, endpoint);
            _unaryOnly[endpoint] = true;
            return await DeliverOneByOneAsync(endpoint, client, batch, probe, cancellationToken);
        }
    }

    /// <summary>
    /// For endpoints without DeliverBatch: one call per delivery, the cases in parallel, each case's run one call after
    /// the other and stopped at its first failure (a failed call, or an answer that is invalid or did not apply the
    /// delivery), so that nothing of a case is applied after a message that was not. A refusal or a question answers its
    /// delivery: the run goes on.
    /// What a stopped run did not send, or what the breaker's opening meanwhile kept back, is returned as not sent.
    /// </summary>
    private async Task<BatchOutcome> DeliverOneByOneAsync(
        Uri endpoint, AgencyEndpointService.AgencyEndpointServiceClient client, ClaimedDelivery[] batch, bool probe, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentDictionary<long, CallAnswer>();
        var notSent = new ConcurrentDictionary<long, bool>();
        RpcException? firstError = null;
        await Task.WhenAll(batch.GroupBy(d => (d.Delivery.Recipient, d.Delivery.CaseReference)).Select(async run =>
        {
            var stopped = false;
            foreach (var claimed in run.OrderBy(d => d.Delivery.DeliveryId))
            {
                if (stopped || !MayCall(endpoint, probe))
                {
                    notSent[claimed.Delivery.DeliveryId] = true;
                    stopped = true;
                    continue;
                }

                try
                {
                    var response = await client.DeliverAsync(DeliverRequestFactory.Create(claimed), deadline: Deadline(), cancellationToken: cancellationToken);
                    var answer = Checked(
                        endpoint, claimed.Delivery.DeliveryId, response, new CallAnswer(response.Outcome, response.Refusal, response.ClarificationQuestion));
                    outcomes[claimed.Delivery.DeliveryId] = answer;
                    stopped = answer.Invalid is not null || answer.Outcome == DeliveryOutcome.Unspecified;
                }
                catch (RpcException error)
                {
                    // The rest of this case waits for the retry; the other cases' results still count.
                    Interlocked.CompareExchange(ref firstError, error, null);
                    stopped = true;
                }
            }
        }));

        return new BatchOutcome(new(outcomes), [.. notSent.Keys], firstError);
    }

    /// <summary>The answer, or why it breaks the contract's rules (logged: the endpoint's operators must fix it).</summary>
    private CallAnswer Checked(Uri endpoint, long deliveryId, Google.Protobuf.IMessage response, CallAnswer answer)
    {
        if (answers.Problem(response) is not { } invalid)
        {
            return answer;
        }

        DeliveryLog.InvalidAnswer(logger, endpoint, deliveryId, invalid);
        return answer with { Invalid = invalid };
    }

    /// <summary>Whether a call may go out now: the breaker is closed, or this is the probe it let out.</summary>
    private bool MayCall(Uri endpoint, bool probe) => probe || breaker.State(endpoint, time.GetUtcNow()) == EndpointState.Closed;

    private DateTime Deadline() => DateTime.UtcNow + _options.Timeout;

    /// <summary>What a call did: each answered delivery's answer, the deliveries never sent, and the failure if one occurred.</summary>
    private sealed record BatchOutcome(Dictionary<long, CallAnswer> Results, HashSet<long> NotSent, RpcException? Error);

    /// <summary>An endpoint's answer for one delivery, with why it is invalid when it breaks the contract's rules.</summary>
    private sealed record CallAnswer(DeliveryOutcome Outcome, EndpointRefusal? Refusal, string Question)
    {
        public string? Invalid { get; init; }
    }
}
