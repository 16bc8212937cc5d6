using Gateway.Core.Trace;
using Gateway.Identity;
using Grpc.Core;

namespace Gateway.Trace;

/// <summary>
/// Who a TraceService call comes from, as the interceptors established it: the operator the operator check authorised,
/// else the agency the identity check resolved. The only place the trace reads identity.
/// </summary>
public static class TraceCaller
{
    public static TraceViewer ViewerOf(ServerCallContext context) =>
        context.FindOperator() is { } name ? TraceViewer.Operator(name.Actor) : TraceViewer.OfAgency(context.GetCaller().ToString());
}
