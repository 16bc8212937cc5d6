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

    public static AgencyId GetCaller(this ServerCallContext context) =>
        context.FindCaller() ?? throw new InvalidOperationException("The identity interceptor did not run for this call.");
}
