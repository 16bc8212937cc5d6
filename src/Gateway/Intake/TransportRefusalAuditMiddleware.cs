using Gateway.Core.Agencies;
using Gateway.Core.Storage;
using Gateway.Identity;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Intake;

/// <summary>
/// Audits interagency calls that gRPC refuses before any interceptor runs: oversized or undecodable
/// payloads, unknown methods, and failures of the gateway itself. The refusals of the intake steps are
/// audited where they happen and are not recorded twice; so are the ends the gateway gives its own streams
/// (a subscriber too slow, a shutdown, an abusive publisher) once the caller is identified.
/// </summary>
public sealed class TransportRefusalAuditMiddleware(RequestDelegate next, IMessageStore store)
{
    private const string Prefix = "/interagency.v1.";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Request.Path.Value?.StartsWith(Prefix, StringComparison.Ordinal) != true)
        {
            return;
        }

        var code = GrpcStatus(context);
        var caller = context.FindCaller();
        var undecodable = code == Grpc.Core.StatusCode.InvalidArgument && UndecodableRequest.IsIn(ResponseMetadata(context, "grpc-status-details-bin"));
        if (code is null || (!undecodable && AuditedElsewhere(code.Value)) || (caller is not null && EndedByGatewayStream(code.Value)))
        {
            return;
        }

        // Without an identified caller the interceptors never ran: its claim is kept, being an agency id, not personal data.
        var claimed = context.Request.Headers[IdentityOptions.AgencyHeader].ToString();
        var actor = caller?.ToString() ?? (AgencyId.TryParse(claimed, out var id) ? $"unauthenticated:{id}" : "unauthenticated");
        await store.RecordRefusalAsync(
            new RefusalRecord(context.Request.Path.Value!, actor, null, code.Value.ToString(), undecodable ? UndecodableRequest.Reason : caller is null ? "transport" : "gateway_error", []),
            CancellationToken.None);
    }

    private static bool EndedByGatewayStream(Grpc.Core.StatusCode code) =>
        code is Grpc.Core.StatusCode.ResourceExhausted or Grpc.Core.StatusCode.Unavailable;

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
