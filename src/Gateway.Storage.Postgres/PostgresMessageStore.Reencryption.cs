using Gateway.Core.Encryption;
using Gateway.Storage.Postgres.Internal;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Re-encryption for <c>gatewayctl reencrypt</c>, batch by batch (<see cref="Reencryption"/>): any instance may run it,
/// and several may at once, while the others keep writing.
/// </summary>
public sealed partial class PostgresMessageStore : IReencryptionStore
{
    public Task<ReencryptionBatch> ReencryptAsync(ReencryptionCursor after, int batchSize, CancellationToken cancellationToken) =>
        Guarded(() => new Reencryption(_dataSource, _seal, _time).RunAsync(after, batchSize, cancellationToken));
}
