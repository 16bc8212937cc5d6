using System.Collections.Concurrent;
using Gateway.FunctionalTests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.FunctionalTests.Durability;

/// <summary>
/// Senders spread over several gateway instances on one store, each submitting referrals one after another until
/// stopped, as the clients of a service with several addresses do. A call answered UNAVAILABLE (its instance was killed,
/// or is not back yet) is sent again, with the same message id and content, to the next instance: the client cannot know
/// whether the dead one stored it, and the gateway's idempotency makes the second send safe. Only acknowledged referrals count.
/// </summary>
internal sealed class FailoverSenders : IAsyncDisposable
{
    private const string Sender = "CN/PLO-RU";

    /// <summary>Every call has a deadline: one that neither succeeds nor is refused within it hangs, which is a failure.</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    /// <summary>The pause after every instance in turn answered UNAVAILABLE: nothing tells a client when one is back.</summary>
    private static readonly TimeSpan AllDownPause = TimeSpan.FromMilliseconds(50);

    private readonly Func<int, SubmitReferralRequest> _referral;
    private readonly TimeSpan _pause;
    private readonly ReferralService.ReferralServiceClient[] _instances;

    // Channels of instances replaced since are disposed with the rest at the end: a sender may still be calling on one.
    private readonly List<GrpcChannel> _channels = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _senders = Task.CompletedTask;
    private int _next;
    private int _failedOver;

    /// <param name="addresses">The instances' addresses; sender <c>i</c> sends to instance <c>i % count</c> first.</param>
    /// <param name="referral">The referral to send as the n-th (from 1), with a new message id.</param>
    /// <param name="pause">How long each sender waits after a receipt before it sends its next referral.</param>
    public FailoverSenders(IReadOnlyList<string> addresses, Func<int, SubmitReferralRequest> referral, TimeSpan pause)
    {
        _referral = referral;
        _pause = pause;
        _instances = [.. addresses.Select(Client)];
    }

    /// <summary>Message ids of the referrals acknowledged, in the order their receipts arrived.</summary>
    public ConcurrentQueue<string> Acknowledged { get; } = [];

    /// <summary>Answers other than a receipt or UNAVAILABLE: each is a failure of the test.</summary>
    public ConcurrentQueue<string> UnexpectedStatuses { get; } = [];

    /// <summary>Calls answered UNAVAILABLE and sent again to the next instance.</summary>
    public int FailedOver => Volatile.Read(ref _failedOver);

    public void Start(int senders) =>
        _senders = Task.WhenAll(Enumerable.Range(0, senders).Select(home => Task.Run(() => SendAsync(home % _instances.Length))));

    /// <summary>Points the senders at instance <paramref name="index"/>'s new address: it was started again on another port.</summary>
    public void Replace(int index, string address) => Volatile.Write(ref _instances[index], Client(address));

    public Task WaitForAcknowledgedAsync(int count, TimeSpan timeout) =>
        Eventually.WaitForAsync(() => Acknowledged.Count, n => n >= count, $"{count} referrals acknowledged", timeout);

    /// <summary>Stops the senders; a referral whose call is cut short is not acknowledged (it may still have been stored).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _senders.WaitAsync(CallDeadline * 2);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        lock (_channels)
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }
        }
    }

    private ReferralService.ReferralServiceClient Client(string address)
    {
        var channel = GrpcChannel.ForAddress(address);
        lock (_channels)
        {
            _channels.Add(channel);
        }

        return new ReferralService.ReferralServiceClient(channel);
    }

    private async Task SendAsync(int home)
    {
        while (!_stop.IsCancellationRequested)
        {
            var referral = _referral(Interlocked.Increment(ref _next));
            for (var tried = 0; !_stop.IsCancellationRequested; tried++)
            {
                var instance = Volatile.Read(ref _instances[(home + tried) % _instances.Length]);
                try
                {
                    await instance.SubmitReferralAsync(
                        referral, GatewayServer.As(Sender), DateTime.UtcNow + CallDeadline, _stop.Token);
                    Acknowledged.Enqueue(referral.Header.MessageId);
                    await Task.Delay(_pause, CancellationToken.None);
                    break;
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.Unavailable)
                {
                    Interlocked.Increment(ref _failedOver);
                    if (tried % _instances.Length == _instances.Length - 1)
                    {
                        await Task.Delay(AllDownPause);
                    }
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && _stop.IsCancellationRequested)
                {
                    return;
                }
                catch (RpcException error)
                {
                    UnexpectedStatuses.Enqueue($"{error.StatusCode}: {error.Status.Detail}");
                    break;
                }
            }
        }
    }
}
