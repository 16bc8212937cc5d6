using Grpc.Core;

namespace Gateway.Identity;

/// <summary>Carries the authorised operator from the operator interceptor to the operations service.</summary>
public static class OperatorContext
{
    private const string Key = "gateway.operator";

    public static void SetOperator(this ServerCallContext context, OperatorName name) => context.UserState[Key] = name;

    public static OperatorName GetOperator(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var name)
            ? (OperatorName)name
            : throw new InvalidOperationException("The operator interceptor did not run for this call.");
}
