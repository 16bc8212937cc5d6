using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// What the SQLite store's group commit adds to applying change sets: one that fails a precondition leaves nothing behind
/// in the transaction it shares with others. The rest of applying them is the stores' contract
/// (tests/Gateway.Storage.Contract.Tests, AcceptChangeSetContract).
/// </summary>
public sealed class IntakeApplierTests
{
    private const string Sender = "CN/PLO-RU";

    [Fact]
    public async Task A_failed_change_set_leaves_nothing_behind_in_a_transaction_shared_with_applied_ones()
    {
        await using var temp = new TempStore();
        var taken = StoreSamples.Message();
        await temp.Store.AcceptAsync(taken, default);

        // The failing change set's rows and entries would come first; every one of its preconditions is checked before.
        var sameId = StoreSamples.Message(taken.MessageId, content: 7);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => temp.Store.AcceptAsync(
            i % 2 == 0
                ? IntakeLifecycle.Accept(StoreSamples.Message(), null).Changes!
                : new ChangeSet([new MessageIdFree(taken.MessageId)], [new InsertMessage(sameId, MessageState.Accepted, ["RU/MVD"], DeliveryState.Pending, 0)], [Entry("never")]),
            default)));

        Assert.True(temp.Store.CommitCount < 200, $"{temp.Store.CommitCount} commits: the change sets did not share transactions");
        Assert.All(outcomes.Where((_, i) => i % 2 == 1), o => Assert.Equal(new MessageIdFree(taken.MessageId), o.Failed));
        Assert.DoesNotContain("never", await temp.Store.ReadAuditAsync(default).Select(a => a.Kind).ToListAsync());
        Assert.Equal(101, await temp.Store.ReadAuditAsync(default).CountAsync());
        Assert.True(AuditVerifier.Verify(await temp.Store.ReadAuditAsync(default).ToListAsync(), await temp.Store.ReadAuditHeadAsync(default)).IsIntact);
    }

    private static AuditEntry Entry(string kind) => new(kind, Sender, null, new AuditDetails());
}
