using Grpc.Core;
using Interagency.V1;

namespace Gateway.Intake;

/// <summary>
/// Our interceptors guard the interagency services only; health and reflection are open to probes. Agencies call the
/// agency-facing services and are identified by the caller identity check; operators call the operator services and
/// pass the operator check instead. Schema validation applies to both.
/// </summary>
public static class InterceptScope
{
    private const string Prefix = "/interagency.v1.";

    private static readonly string[] OperatorServices = [$"/{OperationsService.Descriptor.FullName}/"];

    /// <summary>Any interagency service, agency-facing or operator.</summary>
    public static bool Applies(ServerCallContext context) => context.Method.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool IsOperatorCall(ServerCallContext context) => IsOperatorCall(context.Method);

    /// <summary>Whether the path of a call (its gRPC method) is that of an operator service.</summary>
    public static bool IsOperatorCall(string path) => OperatorServices.Any(service => path.StartsWith(service, StringComparison.Ordinal));

    public static bool IsAgencyCall(ServerCallContext context) => Applies(context) && !IsOperatorCall(context);
}
