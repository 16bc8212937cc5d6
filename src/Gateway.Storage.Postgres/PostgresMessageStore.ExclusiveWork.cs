using Gateway.Core.Storage;

namespace Gateway.Storage.Postgres;

/// <summary>Periodic work run by one instance at a time, under a PostgreSQL advisory lock named after the work.</summary>
public sealed partial class PostgresMessageStore : IExclusiveWork, IStoreHealth
{
    /// <remarks>
    /// A session lock (<c>pg_try_advisory_lock</c>) on a connection held for the work's duration: the work itself runs
    /// its own transactions on other connections, and an instance killed meanwhile loses its session and with it the lock.
    /// The key is PostgreSQL's own hash of the name, so every instance computes the same one. Not waiting for the lock is
    /// the point: another instance is doing the work now, and this one's next tick will look again.
    /// </remarks>
    public Task<bool> RunAloneAsync(string name, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        Guarded(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection))
            {
                take.Parameters.Add(new Npgsql.NpgsqlParameter { Value = name });
                if (await take.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    return false;
                }
            }

            try
            {
                await work(cancellationToken);
            }
            finally
            {
                // Also released when the connection goes back to the pool (Npgsql resets the session), or dies.
                await using var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
                release.Parameters.Add(new Npgsql.NpgsqlParameter { Value = name });
                await release.ExecuteScalarAsync(CancellationToken.None);
            }

            return true;
        });

    /// <summary>
    /// Never set: each call finds out for itself whether the database answers, so the gateway recovers without a restart
    /// when it returns. The health check's read of the audit head is what reports a lost database.
    /// </summary>
    public StoreUnavailableException? WriteFailure => null;
}
