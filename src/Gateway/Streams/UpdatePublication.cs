using System.Diagnostics;
using System.Threading.Channels;
using Gateway.Audit;
using Gateway.Contracts.Validation;
using Gateway.Core.Intake;
using Gateway.Core.Receipts;
using Gateway.Delivery;
using Gateway.Identity;
using Gateway.Intake;
using Gateway.Telemetry;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Streams;

/// <summary>
/// One partner's PublishUpdates stream. Each update goes through intake like any message (schema, rules, the partner
/// must take part in the case) and is committed with group commit; its acknowledgement is sent only after the commit,
/// in the order the updates came. A refused update gets a refusal acknowledgement, audited by the
/// <see cref="RefusalBoundary"/> as it is answered, and the stream stays open. Updates
/// are read only while fewer than <see cref="PublishOptions.MaxUnacknowledged"/> wait for their commit, so a publisher
/// that outpaces the disk is held back by HTTP/2 flow control rather than buffered.
/// </summary>
public sealed class UpdatePublication(
    ObservedIntake intake, SchemaValidator validator, RefusalBoundary boundary, IOptions<PublishOptions> options, StreamDrain drain, CommitSignals signals,
    ReceiptSigner receipts)
{
    private static readonly CallRefusal Abusive = new(
        StatusCode.ResourceExhausted,
        "too_many_refusals",
        "Too many refused updates in a row; the stream is closed. Fix the updates and open a new stream.",
        []);

    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    private readonly PublishOptions _options = options.Value;

    public async Task RunAsync(
        IAsyncStreamReader<PublishUpdatesRequest> requests, IServerStreamWriter<PublishUpdatesResponse> responses, ServerCallContext context)
    {
        var caller = context.GetCaller();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.Stopping);
        var pending = Channel.CreateBounded<(string MessageId, Task<IntakeResult> Result)>(
            new BoundedChannelOptions(_options.MaxUnacknowledged) { SingleReader = true, SingleWriter = true });
        var acknowledging = AcknowledgeAsync(pending.Reader, responses, context);
        var refusedInARow = 0;
        try
        {
            while (await requests.MoveNext(stopping.Token))
            {
                var update = requests.Current;
                var result = await SubmitAsync(update, caller, context.CancellationToken);
                refusedInARow = result.IsCompletedSuccessfully && result.Result.Refusal is not null ? refusedInARow + 1 : 0;
                await pending.Writer.WriteAsync((update.Header?.MessageId ?? string.Empty, result), context.CancellationToken);
                if (refusedInARow >= _options.MaxConsecutiveRefusals)
                {
                    pending.Writer.Complete();
                    await acknowledging;
                    throw RefusalBoundary.Refuse(context, Abusive);
                }
            }

            pending.Writer.TryComplete();
            await acknowledging;
        }
        catch (OperationCanceledException) when (drain.Stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Shutting down: answer what was read, then tell the publisher to reconnect.
            pending.Writer.TryComplete();
            await acknowledging;
            throw new RpcException(new Status(Grpc.Core.StatusCode.Unavailable, "The gateway is shutting down; every update acknowledged is committed. Reconnect and send the rest."));
        }
        catch (Exception error) when (ClientCancellation.Ended(error, context))
        {
            // The acknowledgements stop on the same cancellation; awaited, so that no write outlives the call.
            pending.Writer.TryComplete();
            await acknowledging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw ClientCancellation.Status();
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            // The next update could not be read (undecodable, or the stream broke) while those before it were still being
            // committed: they are acknowledged before the status, which would otherwise end the call without them.
            pending.Writer.TryComplete();
            await acknowledging;
            throw;
        }
        finally
        {
            pending.Writer.TryComplete();
        }
    }

    /// <summary>Schema check here (interceptors see only the stream, not each message), then intake, in arrival order.</summary>
    private async Task<Task<IntakeResult>> SubmitAsync(PublishUpdatesRequest update, Core.Agencies.AgencyId caller, CancellationToken cancellationToken)
    {
        var violations = validator.Validate(update);
        if (violations.Count > 0)
        {
            return Task.FromResult(IntakeResult.Refused(SchemaRefusal.From(violations)));
        }

        var receivedAt = Stopwatch.GetTimestamp();
        var prepared = await intake.PrepareAsync(MessageKind.CaseUpdate, update.Header, update, caller, cancellationToken);
        return SignalledAsync(intake.CommitAsync(MessageKind.CaseUpdate, prepared, receivedAt, cancellationToken));
    }

    /// <summary>Wakes the dispatcher and the subscribers as soon as the update is committed, not when it is acknowledged.</summary>
    private async Task<IntakeResult> SignalledAsync(Task<IntakeResult> commit)
    {
        var result = await commit;
        signals.Committed(MessageKind.CaseUpdate, result);
        return result;
    }

    private async Task AcknowledgeAsync(
        ChannelReader<(string MessageId, Task<IntakeResult> Result)> pending,
        IServerStreamWriter<PublishUpdatesResponse> responses,
        ServerCallContext context)
    {
        await foreach (var (messageId, task) in pending.ReadAllAsync(context.CancellationToken))
        {
            var result = await task;
            var answer = new PublishUpdatesResponse { MessageId = messageId };
            if (result.Refusal is { } refusal)
            {
                answer.Outcome = UpdateOutcome.Refused;
                answer.Refusal = await boundary.AnswerInStreamAsync(context, CallRefusal.From(refusal, messageId));
            }
            else
            {
                answer.Outcome = result.Duplicate ? UpdateOutcome.Duplicate : UpdateOutcome.Accepted;
                answer.Receipt = IntakeCall.ToReceipt(result, receipts);
            }

            // While the next acknowledgement is already decided, this one waits in the response buffer and goes out
            // with it: one HTTP/2 write and flush for a run of acknowledgements rather than one each. The last of a
            // run is flushed at once, so nothing decided is ever held back.
            responses.WriteOptions = pending.TryPeek(out var next) && next.Result.IsCompleted ? BufferedWrite : null;
            await responses.WriteAsync(answer, context.CancellationToken);
        }
    }
}
