using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Hosting;

/// <summary>
/// Kestrel, checked once it has bound: whatever configured the addresses (URLs, ports, Kestrel endpoints in
/// configuration or in code), the gateway serves only if the identity mode may listen on every bound address
/// (<see cref="ListenGuard.EnsureBound"/>: loopback in development mode, HTTPS in mutual TLS). Until that check has passed, requests wait; when it fails, the
/// server is stopped and the start fails with a <see cref="GatewayConfigurationException"/>, no request served.
/// </summary>
internal sealed class LoopbackOnlyServer(IServer inner, string mode) : IServer
{
    public IFeatureCollection Features => inner.Features;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var gate = new Gate<TContext>(application);
        await inner.StartAsync(gate, cancellationToken);
        try
        {
            ListenGuard.EnsureBound(mode, Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        }
        catch (GatewayConfigurationException)
        {
            // Nothing is served on what was refused, so its connections are aborted rather than drained.
            gate.Refuse();
            await inner.StopAsync(new CancellationToken(canceled: true));
            throw;
        }

        gate.Open();
    }

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();

    /// <summary>The application, held back until the bound addresses are known to be allowed.</summary>
    private sealed class Gate<TContext>(IHttpApplication<TContext> application) : IHttpApplication<TContext>
        where TContext : notnull
    {
        private readonly TaskCompletionSource<bool> _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _checked.TrySetResult(true);

        public void Refuse() => _checked.TrySetResult(false);

        public TContext CreateContext(IFeatureCollection contextFeatures) => application.CreateContext(contextFeatures);

        // Once open, a request goes straight on, without a frame of its own.
        public Task ProcessRequestAsync(TContext context) =>
            _checked.Task.IsCompletedSuccessfully && _checked.Task.Result ? application.ProcessRequestAsync(context) : WhenChecked(context);

        public void DisposeContext(TContext context, Exception? exception) => application.DisposeContext(context, exception);

        private async Task WhenChecked(TContext context)
        {
            if (!await _checked.Task)
            {
                throw new GatewayConfigurationException("The gateway refused its listening addresses; this request is not served.");
            }

            await application.ProcessRequestAsync(context);
        }
    }
}
