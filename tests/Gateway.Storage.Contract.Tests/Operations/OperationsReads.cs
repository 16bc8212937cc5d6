using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;

namespace Gateway.Storage.Contract.Tests.Operations;

internal static class OperationsViews
{
    /// <summary>The store under test as operators' calls see it.</summary>
    public static IOperationsStore Operations(this StoreUnderTest store) =>
        store.Intake as IOperationsStore ?? throw new NotSupportedException($"{store.Intake.GetType().Name} has no operator queries.");
}
