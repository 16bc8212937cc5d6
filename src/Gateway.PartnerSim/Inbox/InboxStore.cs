using System.Globalization;
using System.Threading.Channels;
using Gateway.PartnerSim.Hosting;
using Interagency.V1;
using Microsoft.Data.Sqlite;

namespace Gateway.PartnerSim.Inbox;

/// <summary>
/// The idempotent inbox: one SQLite file (WAL, synchronous=FULL) where each message id is applied once. A single
/// writer takes every call queued meanwhile and commits them in one transaction (group commit); callers get
/// their outcomes only after that commit, so APPLIED always means on disk.
/// </summary>
public sealed class InboxStore : IAsyncDisposable
{
    // Bounds one transaction, so that a flood of calls still gets answers in steady steps.
    private const int MaxDeliveriesPerCommit = 2048;

    private readonly Channel<PendingApplication> _queue = Channel.CreateUnbounded<PendingApplication>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly InboxStatements _statements;
    private readonly ReceivedLog _receivedLog;
    private readonly TimeProvider _time;
    private readonly PartnerSimOptions _options;
    private readonly ILogger<InboxStore> _logger;
    private readonly Task _writer;

    public InboxStore(PartnerSimOptions options, ReceivedLog receivedLog, TimeProvider time, ILogger<InboxStore> logger)
    {
        _receivedLog = receivedLog;
        _time = time;
        _options = options;
        _logger = logger;
        Directory.CreateDirectory(options.DataDirectory);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.InboxPath, Pooling = false }.ConnectionString);
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;" + InboxSchema.Create;
            setup.ExecuteNonQuery();
            setup.CommandText = "SELECT COUNT(*) FROM applied";
            PartnerSimLog.InboxOpened(logger, options.InboxPath, (long)setup.ExecuteScalar()!);
        }

        _statements = new InboxStatements(_connection);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>
    /// Applies each delivery's message unless already in the inbox, or records the refusal or question the agency
    /// answers a delivery of its kind with (<c>--refuse</c>, <c>--clarify</c>); answers once the commit is on disk.
    /// </summary>
    /// <exception cref="InboxUnavailableException">Nothing was applied; the caller may retry.</exception>
    public Task<DeliveryOutcome[]> ApplyAsync(IReadOnlyList<DeliverRequest> deliveries)
    {
        var pending = new PendingApplication(deliveries);
        return _queue.Writer.TryWrite(pending)
            ? pending.Outcomes
            : Task.FromException<DeliveryOutcome[]>(new InboxUnavailableException("The inbox is closed: the simulator is shutting down."));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _statements.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingApplication>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var deliveries = 0;
            while (deliveries < MaxDeliveriesPerCommit && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                deliveries += pending.Deliveries.Count;
            }

            CommitGroup(group, deliveries);
            group.Clear();
        }
    }

    private void CommitGroup(List<PendingApplication> group, int deliveries)
    {
        var at = _time.GetUtcNow();
        var receivedAt = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var outcomes = new DeliveryOutcome[group.Count][];
        try
        {
            using var transaction = _connection.BeginTransaction();
            _statements.Enlist(transaction);
            for (var i = 0; i < group.Count; i++)
            {
                outcomes[i] = group[i].Deliveries.Select(delivery => Receive(delivery, receivedAt)).ToArray();
            }

            transaction.Commit();
        }
        catch (Exception exception)
        {
            // The writer must outlive a failed commit: these callers learn nothing was applied, later ones still get served.
            PartnerSimLog.CommitFailed(_logger, deliveries, exception);
            var failure = new InboxUnavailableException("The inbox could not commit; nothing of this call was applied.", exception);
            group.ForEach(pending => pending.Fail(failure));
            return;
        }

        _receivedLog.Append(group.SelectMany((pending, i) => pending.Deliveries.Select((delivery, j) =>
            ReceivedLine.Format(at, ReceivedLine.Of(outcomes[i][j]), delivery))));
        for (var i = 0; i < group.Count; i++)
        {
            for (var j = 0; j < group[i].Deliveries.Count; j++)
            {
                if (outcomes[i][j] == DeliveryOutcome.Applied && group[i].Deliveries[j].Notice is { } notice)
                {
                    PartnerSimLog.NoticeReceived(_logger, NoticeKinds.Name(notice.Kind), notice.MessageId, notice.Recipient);
                }
            }

            group[i].Complete(outcomes[i]);
        }
    }

    private DeliveryOutcome Receive(DeliverRequest delivery, string receivedAt)
    {
        var kind = PayloadKind.Of(delivery);
        return _options.Refuse.Contains(kind) ? _statements.Answer(delivery, DeliveryOutcome.Refused, receivedAt)
            : _options.Clarify.Contains(kind) ? _statements.Answer(delivery, DeliveryOutcome.ClarificationRequested, receivedAt)
            : _statements.Apply(delivery, receivedAt);
    }
}
