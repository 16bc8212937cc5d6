using Gateway.Core.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// The committed head of the audit chain as this instance knows it, kept current by <c>LISTEN audit_head</c>: the
/// trigger of <c>V3__trace_and_feed.sql</c> notifies each head a transaction commits, whichever instance wrote it. Every
/// committed entry is durable on PostgreSQL, so this is the durable audit sequence the flow reads up to.
/// </summary>
/// <remarks>
/// One connection of the pool listens for the store's lifetime. When it is lost (the database restarts or fails over),
/// notifications sent meanwhile are lost with it: the listener connects again, LISTENs, and only then reads the head,
/// so that a commit between the two is either in the head it reads or notified after.
/// </remarks>
internal sealed class AuditHeadListener : IAsyncDisposable
{
    private const string Channel = "audit_head";
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly GrowingValue _head = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _listening = Task.CompletedTask;

    private AuditHeadListener(NpgsqlDataSource dataSource, ILogger logger) => (_dataSource, _logger) = (dataSource, logger);

    public long Head => _head.Value;

    /// <summary>Listens, reads the head, and keeps listening in the background until disposed.</summary>
    public static async Task<AuditHeadListener> StartAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        var listener = new AuditHeadListener(dataSource, logger);
        var connection = await listener.ListenAsync(cancellationToken);
        listener._listening = listener.RunAsync(connection);
        return listener;
    }

    /// <summary>Completes once the committed head is past <paramref name="sequence"/>.</summary>
    public Task WaitAfterAsync(long sequence, CancellationToken cancellationToken) => _head.WaitAfterAsync(sequence, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening;
        _stop.Dispose();
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            connection.Notification += (_, notice) => _head.AdvanceTo(long.Parse(notice.Payload, System.Globalization.CultureInfo.InvariantCulture));
            await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var head = new NpgsqlCommand("SELECT seq FROM audit_head WHERE id = 1", connection);
            _head.AdvanceTo((long)(await head.ExecuteScalarAsync(cancellationToken))!);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task RunAsync(NpgsqlConnection connection)
    {
        try
        {
            while (true)
            {
                try
                {
                    await using (connection)
                    {
                        while (true)
                        {
                            await connection.WaitAsync(_stop.Token);
                        }
                    }
                }
                catch (NpgsqlException error)
                {
                    PostgresStoreLog.AuditHeadListenerLost(_logger, error);
                }

                connection = await ReconnectAsync();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task<NpgsqlConnection> ReconnectAsync()
    {
        while (true)
        {
            try
            {
                await Task.Delay(Reconnect, _stop.Token);
                return await ListenAsync(_stop.Token);
            }
            catch (NpgsqlException)
            {
                // Still unreachable: the store's calls say so themselves; the listener tries again.
            }
        }
    }
}
