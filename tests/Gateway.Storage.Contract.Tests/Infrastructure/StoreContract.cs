using Gateway.Core.Encryption;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>
/// The base of every contract: each test gets a store of its own on fresh storage, from the concrete class's
/// <see cref="OpenAsync"/>, removed after the test.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    protected StoreUnderTest Store { get; private set; } = null!;

    /// <summary>The data keys the test's store is opened with; none, so it writes in clear, unless a contract says otherwise.</summary>
    protected virtual DataKeyRing? Keys => null;

    protected abstract Task<StoreUnderTest> OpenAsync(DataKeyRing? keys);

    public async Task InitializeAsync() => Store = await OpenAsync(Keys);

    public async Task DisposeAsync() => await Store.DisposeAsync();
}
