using Grpc.Core;

namespace Gateway.Identity;

/// <summary>Carries the authorised operator from the operator interceptor to the operations service.</summary>
public static class OperatorContext
{
    private const string Key = "gateway.operator";

    public static void SetOperator(this ServerCallContext context, OperatorName name) => context.UserState[Key] = name;

    /// <summary>The operator the operator interceptor authorised for this request (gRPC's user state is the request's items).</summary>
    public static OperatorName? FindOperator(this Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Items.TryGetValue(Key, out var name) ? name as OperatorName? : null;

    public static OperatorName? FindOperator(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var name) ? (OperatorName)name : null;

    public static OperatorName GetOperator(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var name)
            ? (OperatorName)name
            : throw new InvalidOperationException("The operator interceptor did not run for this call.");
}
