using Gateway.Core.Encryption;
using Gateway.Core.Storage;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>
/// One store on storage of its own (a fresh file, a fresh database), removed afterwards: what a contract test runs
/// against, and the few things a test does behind the store's back in its SQL, which both stores share but for
/// <see cref="DropAuditGuards"/>.
/// </summary>
public abstract class StoreUnderTest : IAsyncDisposable
{
    /// <summary>The data keys the store is opened with (none: it writes in clear); set before a reopen to change them.</summary>
    public DataKeyRing? Keys { get; set; }

    public abstract IIntakeStore Intake { get; }

    public abstract IAuditLog Audit { get; }

    /// <summary>The SQL that removes the audit table's append-only triggers, as someone with write access could.</summary>
    public abstract string DropAuditGuards { get; }

    /// <summary>Closes the store and opens it again on the same storage.</summary>
    public abstract Task ReopenAsync();

    /// <summary>Runs <paramref name="sql"/> on the storage through a connection of its own, the store closed meanwhile.</summary>
    public abstract Task ExecuteBehindTheStoreAsync(string sql);

    /// <summary>The first column of the first row <paramref name="sql"/> returns, read through a connection of its own.</summary>
    public abstract Task<object?> QueryBehindTheStoreAsync(string sql);

    public abstract ValueTask DisposeAsync();
}
