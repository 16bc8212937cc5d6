using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.Identity;
using Gateway.Intake;
using Gateway.Telemetry;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Audit;

/// <summary>
/// The one place where refusals are audited and turned into their status. Whichever step refuses a call (a transport
/// guard, identity, schema, intake rules and routing, operator authorisation, a stream's budget) records a
/// <see cref="CallRefusal"/> on it with <see cref="Refuse(HttpContext?, CallRefusal)"/> and ends the call with the
/// status that returns; when the call is over, <see cref="RefusalBoundaryMiddleware"/> has it audited here, once. A
/// refused update of a stream that stays open is audited as it is answered (<see cref="AnswerInStreamAsync"/>).
/// </summary>
/// <remarks>
/// Refusals of callers that are not identified are audited within a budget per source (<see cref="RefusalBudget"/>):
/// anyone who can reach the port can be refused, and without a budget every refused call of a flood was one more
/// synchronous write to the audit log, slowing every agency's intake. A refusal marked <see cref="CallRefusal.Budgeted"/>
/// (a trace of a message the agency may not see) is audited within the same budget, its agency as the source, since
/// asking costs an identified agency nothing either. A hit of an agency's own limit (<see cref="CallRefusal.AgencyLimit"/>)
/// is audited once per window per agency and reason, in a budget of one, with the same window. What is over a budget is
/// counted, and the count written as one <c>intake.refusals_suppressed</c> entry when the source's window closes, or at shutdown.
/// </remarks>
public sealed class RefusalBoundary : IHostedLifecycleService, IDisposable
{
    private const string Prefix = "/interagency.v1.";

    /// <summary>Paths are the caller's text: an audit entry keeps this much of one, enough for any real method name.</summary>
    private const int MaxRpcLength = 200;

    private const string Unauthenticated = "unauthenticated";

    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<RefusalBoundary> _logger;
    private readonly GatewayMetrics _metrics;
    private readonly RefusalBudget _budget;
    private readonly RefusalBudget _limitHits;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private DateTimeOffset? _wakeAt;

    public RefusalBoundary(
        IAuditLog audit, IOptions<UnauthenticatedRefusalOptions> options, TimeProvider time, GatewayMetrics metrics, ILogger<RefusalBoundary> logger)
    {
        _audit = audit;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var settings = options.Value;
        _budget = new RefusalBudget(settings.PermitsPerWindow, settings.Window, settings.MaxSources);
        _limitHits = new RefusalBudget(1, settings.Window, settings.MaxSources);
        _timer = time.CreateTimer(_ => _ = CloseWindowsAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Records <paramref name="refusal"/> on the call for the boundary to audit when the call is over, and returns the
    /// status to end the call with. Without a call (a guard run outside a request) nothing is recorded, and the call, if
    /// any, is audited by its status as a refusal of the transport.
    /// </summary>
    public static RpcException Refuse(HttpContext? call, CallRefusal refusal)
    {
        call?.Features.Set(refusal);
        return RefusalStatus.ToException(refusal);
    }

    /// <inheritdoc cref="Refuse(HttpContext?, CallRefusal)"/>
    public static RpcException Refuse(ServerCallContext context, CallRefusal refusal) => Refuse(context.GetHttpContext(), refusal);

    /// <summary>Whether a step refused this call: its audit then comes from the boundary.</summary>
    public static bool IsRefused(ServerCallContext context) => context.GetHttpContext().Features.Get<CallRefusal>() is not null;

    /// <summary>Audits the refusal of one message in a stream that stays open, and returns the status to answer it with.</summary>
    public async Task<Google.Rpc.Status> AnswerInStreamAsync(ServerCallContext context, CallRefusal refusal)
    {
        await AuditAsync(context.GetHttpContext(), refusal, context.CancellationToken);
        return RefusalStatus.ToStatus(refusal);
    }

    /// <summary>
    /// Audits a call that is over: the refusal a step recorded on it, else what refused it before any step ran (see
    /// <see cref="Unrecorded"/>).
    /// </summary>
    public async Task AuditCallAsync(HttpContext call)
    {
        if ((call.Features.Get<CallRefusal>() ?? Unrecorded(call)) is not { } refusal)
        {
            return;
        }

        try
        {
            // Not the call's token: a refusal is audited even when its client has gone.
            await AuditAsync(call, refusal, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The store logged its failure once and the gateway reports NOT_SERVING; the refusal stands, unaudited,
            // since no entry can be written until the gateway is restarted.
        }
    }

    /// <summary>
    /// Writes the audit entry of <paramref name="refusal"/>: <c>operator.call</c> for a call to an operator service,
    /// <c>intake.refused</c> for any other, which is also counted in <see cref="GatewayMetrics.Refused"/>. An unidentified
    /// caller's entry is written if the budget of its source allows, else counted.
    /// </summary>
    public async Task AuditAsync(HttpContext call, CallRefusal refusal, CancellationToken cancellationToken)
    {
        var path = call.Request.Path.Value ?? string.Empty;
        if (InterceptScope.IsOperatorCall(
                path, () => call.Request.Headers.ContainsKey(IdentityOptions.OperatorHeader) || call.Request.Headers.ContainsKey(InterceptScope.AuthorizationHeader)))
        {
            var name = call.FindOperator();

            // A refused call records the fields at fault, never a scope read from fields that are at fault.
            var entry = new OperatorCallRecord(
                Rpc(path), name?.Actor ?? Unauthenticated, refusal.Code.ToString(), refusal.Reason, string.Empty, refusal.Violations.Select(v => v.Field).ToArray());
            await WriteAsync(name is null ? Source(call) : refusal.Budgeted ? name.Value.Actor : null, entry.ToAuditEntry(), cancellationToken);
            return;
        }

        _metrics.MessageRefused(refusal.Reason);
        var caller = call.FindCaller();
        var record = ToRecord(path, caller?.ToString() ?? (refusal.ClaimRefused ? Unauthenticated : Claimed(call)), refusal);
        if (caller is { } agency && refusal.AgencyLimit)
        {
            await WriteAsync(_limitHits, agency.ToString(), refusal.Reason, record.ToAuditEntry(), cancellationToken);
            return;
        }

        var source = caller is null ? Source(call) : refusal.Budgeted ? caller.Value.ToString() : null;
        await WriteAsync(source, record.ToAuditEntry(), cancellationToken);
    }

    /// <summary>The <c>intake.refused</c> entry of a refusal: the call, the actor, the fields at fault, never their values.</summary>
    public static RefusalRecord ToRecord(string path, string actor, CallRefusal refusal) =>
        new(
            Rpc(path),
            actor,
            Guid.TryParse(refusal.MessageId, out _) ? refusal.MessageId : null,
            refusal.Code.ToString(),
            refusal.Reason,
            refusal.Violations.Select(v => v.Field).ToArray())
        {
            Certificate = refusal.Certificate,
        };

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
            closed = [.. _budget.Close(_time.GetUtcNow(), all: true), .. _limitHits.Close(_time.GetUtcNow(), all: true)];
        }

        return WriteCountsAsync(closed, CancellationToken.None);
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>
    /// The refusal of a call that no step recorded one on, read from the status the call ended with (its code, never its
    /// details): what gRPC refused before the gateway's steps ran (a path or method not served, a message over the size
    /// limit), reason <c>transport</c>; and for an identified agency a failure of the gateway itself (UNKNOWN, the status
    /// gRPC gives an unhandled exception), reason <c>gateway_error</c>. Any other end of an identified caller's call is
    /// no refusal: the gateway's own end of a stream (a subscriber too slow, a shutdown), or an operator call, which the
    /// operator interceptor audits with its outcome. A call its client reset, cancelled or let expire is the client's doing.
    /// </summary>
    private static CallRefusal? Unrecorded(HttpContext call)
    {
        if (call.RequestAborted.IsCancellationRequested)
        {
            return null;
        }

        var code = GrpcStatus(call) ?? (UnknownPath(call) ? StatusCode.Unimplemented : null);
        if (code is null or StatusCode.OK or StatusCode.Cancelled or StatusCode.DeadlineExceeded)
        {
            return null;
        }

        // Beyond the interagency services only what no service answered is audited: health and reflection are open to probes.
        var path = call.Request.Path.Value ?? string.Empty;
        if ((!path.StartsWith(Prefix, StringComparison.Ordinal) && code != StatusCode.Unimplemented) || call.FindOperator() is not null)
        {
            return null;
        }

        if (call.FindCaller() is null)
        {
            return new CallRefusal(code.Value, "transport", string.Empty, []);
        }

        return code == StatusCode.Unknown ? new CallRefusal(code.Value, "gateway_error", string.Empty, []) : null;
    }

    private static string Rpc(string path) => path.Length > MaxRpcLength ? path[..MaxRpcLength] : path;

    /// <summary>The source an unidentified caller's refusals are counted under: its remote address.</summary>
    private static string Source(HttpContext call) => call.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The agency the call claims, never checked: kept, being an agency id, not personal data.</summary>
    private static string Claimed(HttpContext call) =>
        AgencyId.TryParse(call.Request.Headers[IdentityOptions.AgencyHeader].ToString(), out var id) ? $"{Unauthenticated}:{id}" : Unauthenticated;

    /// <summary>A request no endpoint took, not even gRPC's catch-all for unknown services (which answers UNIMPLEMENTED itself).</summary>
    private static bool UnknownPath(HttpContext call) =>
        call.GetEndpoint() is null && call.Response.StatusCode == StatusCodes.Status404NotFound;

    /// <summary>The call's status: in the response headers when gRPC answered trailers-only, else in its trailers.</summary>
    private static StatusCode? GrpcStatus(HttpContext call)
    {
        var value = call.Response.Headers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(value))
        {
            value = call.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        }

        return int.TryParse(value, out var code) ? (StatusCode)code : null;
    }

    /// <summary>Appends <paramref name="entry"/> at once for an identified caller; for an unidentified one if the budget of its source allows, else counts it.</summary>
    private async Task WriteAsync(string? unidentifiedSource, AuditEntry entry, CancellationToken cancellationToken)
    {
        if (unidentifiedSource is null)
        {
            await _audit.AppendAsync([entry], cancellationToken);
            return;
        }

        await WriteAsync(_budget, unidentifiedSource, null, entry, cancellationToken);
    }

    /// <summary>Appends <paramref name="entry"/> if <paramref name="budget"/> admits it for its source and reason, else counts it.</summary>
    private async Task WriteAsync(RefusalBudget budget, string source, string? reason, AuditEntry entry, CancellationToken cancellationToken)
    {
        List<SuppressedRefusals> closed;
        bool admitted;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            closed = [.. _budget.Close(now), .. _limitHits.Close(now)];
            admitted = budget.TryAdmit(source, now, reason);
            WakeAtNextClose();
        }

        // The counts of windows that closed and this refusal go in one append: one write to the log, not two.
        List<AuditEntry> entries = [.. closed.Select(c => c.ToAuditEntry())];
        if (admitted)
        {
            entries.Add(entry);
        }

        if (entries.Count > 0)
        {
            await _audit.AppendAsync(entries, cancellationToken);
        }
    }

    private async Task CloseWindowsAsync()
    {
        List<SuppressedRefusals> closed;
        lock (_gate)
        {
            _wakeAt = null;
            var now = _time.GetUtcNow();
            closed = [.. _budget.Close(now), .. _limitHits.Close(now)];
            WakeAtNextClose();
        }

        try
        {
            await WriteCountsAsync(closed, CancellationToken.None);
        }
        catch (Exception error)
        {
            AuditLog.SuppressedCountNotWritten(_logger, closed.Count, error);
        }
    }

    private void WakeAtNextClose()
    {
        var next = _budget.NextClose is { } budgetClose && _limitHits.NextClose is { } limitClose
            ? (budgetClose < limitClose ? budgetClose : limitClose)
            : _budget.NextClose ?? _limitHits.NextClose;
        if (next is not null && next != _wakeAt)
        {
            _wakeAt = next;
            var due = next.Value - _time.GetUtcNow();
            _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task WriteCountsAsync(List<SuppressedRefusals> closed, CancellationToken cancellationToken)
    {
        if (closed.Count > 0)
        {
            await _audit.AppendAsync([.. closed.Select(c => c.ToAuditEntry())], cancellationToken);
        }
    }
}
