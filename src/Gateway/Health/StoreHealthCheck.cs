using Gateway.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Health;

/// <summary>The gateway is serving only while its store takes writes and answers reads.</summary>
public sealed class StoreHealthCheck(IStoreHealth health, IAuditLog store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Reads may still work after the writer stopped or a flush failed, but no message can be accepted any more.
        if (health.WriteFailure is { } failure)
        {
            return HealthCheckResult.Unhealthy("The store takes no more writes until the gateway is restarted.", failure);
        }

        try
        {
            await store.ReadAuditHeadAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store cannot be read.", error);
        }
    }
}
