using Gateway.Audit;
using Gateway.Core.Agencies;
using Gateway.Core.Storage;
using Gateway.Identity;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Intake;

/// <summary>
/// Audits calls that gRPC refuses before any interceptor runs: oversized, undecodable or badly framed payloads,
/// unknown services, methods and paths, and failures of the gateway itself. The refusals of the intake steps are
/// audited where they happen and are not recorded twice; so are the ends the gateway gives its own streams (a
/// subscriber too slow, a shutdown, an abusive publisher) once the caller is identified. A call its client reset or
/// let expire is the client's doing, never a refusal. Without an identified caller the refusal goes through the
/// budget of <see cref="UnauthenticatedRefusalAudit"/>.
/// </summary>
public sealed class TransportRefusalAuditMiddleware(RequestDelegate next, IAuditLog store, UnauthenticatedRefusalAudit unauthenticated)
{
    private const string Prefix = "/interagency.v1.";

    /// <summary>Paths are the caller's text: an audit entry keeps this much of one, enough for any real method name.</summary>
    private const int MaxRpcLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        // A client that reset the call (RST_STREAM, a dropped connection) never waited for its answer.
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        var code = GrpcStatus(context) ?? (UnknownPath(context) ? Grpc.Core.StatusCode.Unimplemented : null);

        // Beyond the interagency services only what no service answered is audited: health and reflection are open to probes.
        if (code is null || !(path.StartsWith(Prefix, StringComparison.Ordinal) || code == Grpc.Core.StatusCode.Unimplemented))
        {
            return;
        }

        var caller = context.FindCaller();
        var transportReason = TransportRefusal.FindReason(ResponseMetadata(context, "grpc-status-details-bin"));
        if (transportReason is null && (AuditedElsewhere(code.Value) || (caller is not null && EndedByGatewayStream(code.Value))))
        {
            return;
        }

        var rpc = path.Length > MaxRpcLength ? path[..MaxRpcLength] : path;
        var reason = transportReason ?? (caller is null ? "transport" : "gateway_error");
        if (caller is not null)
        {
            await store.AppendAsync([new RefusalRecord(rpc, caller.Value.ToString(), null, code.Value.ToString(), reason, []).ToAuditEntry()], CancellationToken.None);
            return;
        }

        // The interceptors never ran: the claim is kept, being an agency id, not personal data.
        var claimed = context.Request.Headers[IdentityOptions.AgencyHeader].ToString();
        var actor = AgencyId.TryParse(claimed, out var id) ? $"unauthenticated:{id}" : "unauthenticated";
        await unauthenticated.RecordAsync(
            new RefusalRecord(rpc, actor, null, code.Value.ToString(), reason, []), Source(context), CancellationToken.None);
    }

    /// <summary>The source an unidentified caller's refusals are counted under: its remote address.</summary>
    public static string Source(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool EndedByGatewayStream(Grpc.Core.StatusCode code) =>
        code is Grpc.Core.StatusCode.ResourceExhausted or Grpc.Core.StatusCode.Unavailable;

    /// <summary>A request no endpoint took, not even gRPC's catch-all for unknown services (which answers UNIMPLEMENTED itself).</summary>
    private static bool UnknownPath(HttpContext context) =>
        context.GetEndpoint() is null && context.Response.StatusCode == StatusCodes.Status404NotFound;

    private static Grpc.Core.StatusCode? GrpcStatus(HttpContext context) =>
        int.TryParse(ResponseMetadata(context, "grpc-status"), out var code) ? (Grpc.Core.StatusCode)code : null;

    /// <summary>A status field of the response: in its headers when gRPC answered trailers-only, else in its trailers.</summary>
    private static string? ResponseMetadata(HttpContext context, string name)
    {
        var value = context.Response.Headers[name].ToString();
        return string.IsNullOrEmpty(value) ? context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers[name].ToString() : value;
    }

    /// <summary>
    /// OK is no refusal; a cancelled or expired call is the client's doing; the codes intake gives are audited
    /// where intake refuses.
    /// </summary>
    private static bool AuditedElsewhere(Grpc.Core.StatusCode code) =>
        code is Grpc.Core.StatusCode.OK or Grpc.Core.StatusCode.Cancelled or Grpc.Core.StatusCode.DeadlineExceeded
        || RefusalStatus.IsIntakeCode(code);
}
