using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace Gateway.Streams;

/// <summary>
/// Ends the gateway's open streams when it stops, and lets them finish before Kestrel starts closing connections. A
/// publishing stream answers what it read and ends with UNAVAILABLE, a subscription ends likewise; their trailers must
/// reach the client while the connection is still open. Kestrel disposes a connection's socket as soon as its last
/// stream is done, and trailers written in that moment could be lost: the client then saw the connection closed
/// (INTERNAL) instead of UNAVAILABLE, about one shutdown in ten in the tests.
/// </summary>
/// <remarks>
/// The host calls <see cref="StoppingAsync"/> on every lifecycle service before it fires ApplicationStopping and stops
/// the hosted services, Kestrel among them. So the streams end on <see cref="Stopping"/>, which this cancels first (and
/// ApplicationStopping too, for a host that never calls it), and the host's shutdown goes on once they have handed over
/// their last answer, or after <see cref="Limit"/>.
/// </remarks>
public sealed class StreamDrain : IHostedLifecycleService, IDisposable
{
    /// <summary>Longest a shutdown waits here for streams to end; streams still open then are Kestrel's to close.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping;
    private readonly CancellationTokenSource _overdue = new();
    private int _open;
    private TaskCompletionSource? _drained;

    public StreamDrain(IHostApplicationLifetime lifetime) =>
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);

    /// <summary>Cancelled when the gateway starts to stop: open streams end on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled when a shutdown stops waiting here; what a stream still waits for then is given up.</summary>
    public CancellationToken Overdue => _overdue.Token;

    /// <summary>Counts a streaming call as open until the returned handle is disposed.</summary>
    public IDisposable Open()
    {
        lock (_lock)
        {
            _open++;
        }

        return new Handle(this);
    }

    /// <summary>Streaming calls open now.</summary>
    public int OpenStreams
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_lock)
        {
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
            if (_open == 0)
            {
                _drained.TrySetResult();
            }
        }

        await _stopping.CancelAsync();

        try
        {
            await drained.WaitAsync(Limit, cancellationToken);
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            // Kestrel closes what is left, as it would have without this wait.
            await _overdue.CancelAsync();
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _stopping.Dispose();
        _overdue.Dispose();
    }

    private void Close()
    {
        lock (_lock)
        {
            if (--_open == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    private sealed class Handle(StreamDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                drain.Close();
            }
        }
    }
}

/// <summary>
/// Holds each streaming gRPC call open in <see cref="StreamDrain"/> until its response, trailers included, has been
/// handed to Kestrel, so that a shutdown waits for that and not only for the handler. In a shutdown it holds the call
/// until the client has ended its side of the stream too (see <see cref="ClientEndedAsync"/>).
/// </summary>
public sealed class StreamDrainMiddleware(RequestDelegate next, StreamDrain drain)
{
    // Every other call (unary ones: intake's hot path) goes straight on, without a state machine of its own here.
    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Type is MethodType.ServerStreaming or MethodType.DuplexStreaming
            ? HoldOpenAsync(context)
            : next(context);

    private async Task HoldOpenAsync(HttpContext context)
    {
        using (drain.Open())
        {
            await next(context);

            // Writes the trailers and ends the stream now, rather than after this middleware returns.
            await context.Response.CompleteAsync();
            if (drain.Stopping.IsCancellationRequested)
            {
                await ClientEndedAsync(context);
            }
        }
    }

    /// <summary>
    /// Waits until the client has ended its side of the stream, or the shutdown stops waiting. A publisher's client still
    /// holds its request stream open when the gateway's UNAVAILABLE arrives; .NET's HTTP/2 client then fails the call
    /// (INTERNAL, "the HTTP/2 server closed the connection") if the connection closes before its reader has taken the
    /// trailers, though they were received. Once the client has read the status it ends its request (END_STREAM or a
    /// reset); only then may Kestrel close the connection. Under load, about one stopping gateway in ten closed it first.
    /// </summary>
    private async Task ClientEndedAsync(HttpContext context)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Overdue);
        try
        {
            while (true)
            {
                // Anything the client sent after the status is not read by anyone: the call is over.
                var read = await context.Request.BodyReader.ReadAsync(waiting.Token);
                context.Request.BodyReader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client reset its stream or went away, or the shutdown stopped waiting: either way, nothing more to wait for.
        }
    }
}
