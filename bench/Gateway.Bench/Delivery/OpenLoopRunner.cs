using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;

namespace Gateway.Bench.Delivery;

/// <summary>One call sent inside the measured window: its message id, when it was sent (wall clock) and how long its answer took.</summary>
public sealed record SentCall(string MessageId, DateTimeOffset SentAt, long AnswerTicks);

/// <summary>What an open-loop run sent inside its window, and how many calls failed.</summary>
public sealed record OpenLoopResult(IReadOnlyList<SentCall> Sent, long Completed, long Errors, string? FirstError);

/// <summary>
/// Open-loop load: calls start on a fixed schedule (rate per second) whether or not earlier ones have answered, as
/// independent agencies' systems would send, so a slow answer does not hide itself by slowing the load.
/// </summary>
public static class OpenLoopRunner
{
    /// <param name="call">Sends one message and returns its message id once answered; throws RpcException when refused.</param>
    public static async Task<OpenLoopResult> RunAsync(
        double ratePerSecond, TimeSpan warmUp, TimeSpan window, Func<CancellationToken, (string MessageId, Task Answer)> call)
    {
        using var backstop = new CancellationTokenSource(warmUp + window + TimeSpan.FromSeconds(30));
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var total = (long)((warmUp + window).TotalSeconds * ratePerSecond);
        var sent = new ConcurrentBag<SentCall>();
        var inFlight = new List<Task>((int)total);
        long completed = 0;
        long errors = 0;
        string? firstError = null;

        for (long issued = 0; issued < total;)
        {
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * ratePerSecond) + 1);
            for (; issued < due; issued++)
            {
                inFlight.Add(SendAsync());
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        return new OpenLoopResult(sent.ToArray(), completed, errors, firstError);

        async Task SendAsync()
        {
            var sentAt = DateTimeOffset.UtcNow;
            var sentTicks = Stopwatch.GetTimestamp();
            try
            {
                var (messageId, answer) = call(backstop.Token);
                await answer;
                Interlocked.Increment(ref completed);
                if (sentTicks >= measureFrom)
                {
                    sent.Add(new SentCall(messageId, sentAt, Stopwatch.GetTimestamp() - sentTicks));
                }
            }
            catch (RpcException error)
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, $"{error.StatusCode}: {error.Status.Detail}", null);
            }
        }
    }
}
