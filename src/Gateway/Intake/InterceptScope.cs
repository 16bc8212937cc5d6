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

    public static bool IsOperatorCall(ServerCallContext context) =>
        IsOperatorCall(context.Method, context.RequestHeaders.Get(IdentityOptions.OperatorHeader) is not null);

    /// <summary>
    /// Whether a call is an operator's: any call to an operator service, and a call to TraceService that names an
    /// operator (<see cref="IdentityOptions.OperatorHeader"/>), which then passes the operator check instead of the
    /// agency one.
    /// </summary>
    public static bool IsOperatorCall(string path, bool namesOperator) =>
        OperatorServices.Any(service => path.StartsWith(service, StringComparison.Ordinal))
        || (namesOperator && path.StartsWith(TraceServicePath, StringComparison.Ordinal));

    public static bool IsAgencyCall(ServerCallContext context) => Applies(context) && !IsOperatorCall(context);
}
