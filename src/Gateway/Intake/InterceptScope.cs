using Grpc.Core;

namespace Gateway.Intake;

/// <summary>Our interceptors guard the interagency services only; health and reflection are open to probes.</summary>
public static class InterceptScope
{
    private const string Prefix = "/interagency.v1.";

    public static bool Applies(ServerCallContext context) => context.Method.StartsWith(Prefix, StringComparison.Ordinal);
}
