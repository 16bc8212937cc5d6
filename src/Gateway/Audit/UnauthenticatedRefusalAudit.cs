using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Audit;

/// <summary>
/// Audits the refusals of callers that are not identified, within a budget per source (<see cref="RefusalBudget"/>):
/// anyone who can reach the port can be refused, and without a budget every refused call of a flood was one more
/// synchronous write to the audit log, slowing every agency's intake. What is over the budget is counted, and the count
/// written as one <c>intake.refusals_suppressed</c> entry when the source's window closes, or at shutdown.
/// </summary>
public sealed class UnauthenticatedRefusalAudit : IHostedLifecycleService, IDisposable
{
    private readonly IAuditLog _store;
    private readonly TimeProvider _time;
    private readonly ILogger<UnauthenticatedRefusalAudit> _logger;
    private readonly RefusalBudget _budget;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private DateTimeOffset? _wakeAt;

    public UnauthenticatedRefusalAudit(
        IAuditLog store, IOptions<UnauthenticatedRefusalOptions> options, TimeProvider time, ILogger<UnauthenticatedRefusalAudit> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        var settings = options.Value;
        _budget = new RefusalBudget(settings.PermitsPerWindow, settings.Window, settings.MaxSources);
        _timer = time.CreateTimer(_ => _ = CloseWindowsAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Audits <paramref name="refusal"/> if the budget of <paramref name="source"/> allows, else counts it.</summary>
    public Task RecordAsync(RefusalRecord refusal, string source, CancellationToken cancellationToken) =>
        RecordAsync(token => _store.AppendAsync([refusal.ToAuditEntry()], token), source, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/>, the audit entry of one refusal of an unidentified caller, if the budget of
    /// <paramref name="source"/> allows, else counts it; for refusals that are not intake refusals, such as an operator
    /// call that names no operator.
    /// </summary>
    public async Task RecordAsync(Func<CancellationToken, Task> write, string source, CancellationToken cancellationToken)
    {
        List<SuppressedRefusals> closed;
        bool admitted;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            closed = _budget.Close(now);
            admitted = _budget.TryAdmit(source, now);
            WakeAtNextClose();
        }

        await WriteAsync(closed, cancellationToken);
        if (admitted)
        {
            await write(cancellationToken);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Writes the counts of every window still open. Stopped runs once every hosted service has stopped, the server
    /// among them, so no refusal follows; the store is disposed only after it.
    /// </summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        List<SuppressedRefusals> closed;
        lock (_gate)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            closed = _budget.Close(_time.GetUtcNow(), all: true);
        }

        return WriteAsync(closed, CancellationToken.None);
    }

    public void Dispose() => _timer.Dispose();

    private async Task CloseWindowsAsync()
    {
        List<SuppressedRefusals> closed;
        lock (_gate)
        {
            _wakeAt = null;
            closed = _budget.Close(_time.GetUtcNow());
            WakeAtNextClose();
        }

        try
        {
            await WriteAsync(closed, CancellationToken.None);
        }
        catch (Exception error)
        {
            AuditLog.SuppressedCountNotWritten(_logger, closed.Count, error);
        }
    }

    private void WakeAtNextClose()
    {
        if (_budget.NextClose is { } next && next != _wakeAt)
        {
            _wakeAt = next;
            var due = next - _time.GetUtcNow();
            _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task WriteAsync(List<SuppressedRefusals> closed, CancellationToken cancellationToken)
    {
        foreach (var suppressed in closed)
        {
            await _store.AppendAsync([suppressed.ToAuditEntry()], cancellationToken);
        }
    }
}
