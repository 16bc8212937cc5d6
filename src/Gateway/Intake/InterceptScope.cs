using Gateway.Identity;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Intake;

/// <summary>
/// Our interceptors guard the interagency services only; health and reflection are open to probes. Agencies call the
/// agency-facing services and are identified by the caller identity check; operators call the operator services and
/// pass the operator check instead; TraceService serves both, by whether the call names an operator. Schema validation
/// applies to both.
/// </summary>
public static class InterceptScope
{
    private const string Prefix = "/interagency.v1.";

    private static readonly string[] OperatorServices = [$"/{OperationsService.Descriptor.FullName}/"];

    /// <summary>The path prefix of TraceService, which agencies and operators both call.</summary>
    public static readonly string TraceServicePath = $"/{TraceService.Descriptor.FullName}/";

    /// <summary>Any interagency service, agency-facing or operator.</summary>
    public static bool Applies(ServerCallContext context) => context.Method.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Whether a call is an operator's: any call to an operator service, and a call to TraceService that names an
    /// operator (<see cref="IdentityOptions.OperatorHeader"/>) or carries a token (<see cref="AuthorizationHeader"/>),
    /// which then passes the operator check instead of the agency one. The headers are read for TraceService calls only:
    /// every call of intake's hot path asks this.
    /// </summary>
    public static bool IsOperatorCall(ServerCallContext context) =>
        IsOperatorService(context.Method)
        || (IsTraceCall(context.Method)
            && (context.RequestHeaders.Get(IdentityOptions.OperatorHeader) is not null || context.RequestHeaders.Get(AuthorizationHeader) is not null));

    /// <summary>The header of an operator's bearer token; agencies prove themselves otherwise, so it marks an operator's call.</summary>
    public const string AuthorizationHeader = "authorization";

    /// <inheritdoc cref="IsOperatorCall(ServerCallContext)"/>
    public static bool IsOperatorCall(string path, Func<bool> namesOperator) =>
        IsOperatorService(path) || (IsTraceCall(path) && namesOperator());

    private static bool IsOperatorService(string path) => OperatorServices.Any(service => path.StartsWith(service, StringComparison.Ordinal));

    private static bool IsTraceCall(string path) => path.StartsWith(TraceServicePath, StringComparison.Ordinal);

    public static bool IsAgencyCall(ServerCallContext context) => Applies(context) && !IsOperatorCall(context);
}
