using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Npgsql;

namespace Gateway.Bench.Cluster;

/// <summary>
/// Reads the shared database's delivery queue directly, for the failover part: which deliveries a killed instance held
/// leases on, when those leases run out, and how many of them are delivered since.
/// </summary>
public sealed class LeaseProbe(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>Deliveries in flight under a lease whose owner starts with <paramref name="ownerPrefix"/>, with when each lease runs out.</summary>
    public async Task<IReadOnlyList<(long DeliveryId, DateTimeOffset LeaseUntil)>> InFlightAsync(string ownerPrefix)
    {
        await using var command = _source.CreateCommand(
            $"SELECT delivery_id, lease_until FROM deliveries WHERE state = {(int)DeliveryState.InFlight} AND starts_with(lease_owner, $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = ownerPrefix });
        await using var reader = await command.ExecuteReaderAsync();
        var found = new List<(long, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            found.Add((reader.GetInt64(0), AuditChain.FromMicroseconds(reader.GetInt64(1))));
        }

        return found;
    }

    /// <summary>How many of <paramref name="deliveryIds"/> are in each state now.</summary>
    public async Task<Dictionary<DeliveryState, int>> StatesAsync(IReadOnlyCollection<long> deliveryIds)
    {
        await using var command = _source.CreateCommand("SELECT state, count(*) FROM deliveries WHERE delivery_id = ANY($1) GROUP BY state");
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var states = new Dictionary<DeliveryState, int>();
        while (await reader.ReadAsync())
        {
            states[(DeliveryState)reader.GetInt32(0)] = (int)reader.GetInt64(1);
        }

        return states;
    }

    /// <summary>Deliveries dead-lettered in the whole database.</summary>
    public async Task<long> DeadLetteredAsync()
    {
        await using var command = _source.CreateCommand($"SELECT count(*) FROM deliveries WHERE state = {(int)DeliveryState.DeadLettered}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
