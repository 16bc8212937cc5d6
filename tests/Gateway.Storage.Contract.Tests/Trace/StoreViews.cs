using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;

namespace Gateway.Storage.Contract.Tests.Trace;

/// <summary>The store under test as the trace and the update feed read it: both stores implement these interfaces.</summary>
internal static class StoreViews
{
    public static ITraceStore Trace(this StoreUnderTest store) => (ITraceStore)store.Intake;

    public static IUpdateFeed Feed(this StoreUnderTest store) => (IUpdateFeed)store.Intake;
}
