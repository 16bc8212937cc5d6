using Gateway.Core.Agencies;
using Grpc.Core;

namespace Gateway.Identity;

/// <summary>Carries the authenticated agency from the identity interceptor to the services.</summary>
public static class CallerContext
{
    private const string Key = "gateway.caller";

    public static void SetCaller(this ServerCallContext context, AgencyId caller) => context.UserState[Key] = caller;

    public static AgencyId? FindCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) ? (AgencyId)caller : null;

    /// <summary>The agency the identity interceptor established for this request (gRPC's user state is the request's items).</summary>
    public static AgencyId? FindCaller(this Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Items.TryGetValue(Key, out var caller) ? caller as AgencyId? : null;

    public static AgencyId GetCaller(this ServerCallContext context) =>
        context.FindCaller() ?? throw new InvalidOperationException("The identity interceptor did not run for this call.");
}
