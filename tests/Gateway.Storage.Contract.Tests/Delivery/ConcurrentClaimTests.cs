using System.Collections.Concurrent;
using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;
using Npgsql;

namespace Gateway.Storage.Contract.Tests.Delivery;

/// <summary>
/// Two gateway instances, each with a store of its own on one database, claim and deliver the same queue at once: what
/// only the shared store must do. No delivery is handed to both, and a case's deliveries to a recipient go out in order.
/// </summary>
[RequiresPostgres]
public sealed class ConcurrentClaimTests : StoreContract
{
    private const int Cases = 6;
    private const int MessagesPerCase = 20;

    protected override async Task<StoreUnderTest> OpenAsync(Core.Encryption.DataKeyRing? keys) => await PostgresStoreUnderTest.CreateAsync(keys);

    [StoreFact]
    public async Task Two_instances_accepting_and_claiming_at_once_never_hold_one_delivery_together_and_keep_each_cases_order()
    {
        var messages = Enumerable.Range(0, Cases * MessagesPerCase).Select(i => StoreSamples.Message(null, $"CASE-{i % Cases}")).ToList();
        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(((PostgresStoreUnderTest)Store).ConnectionString, null);
        IIntakeStore[] instances = [Store.Intake, second];

        // Both instances accept while all of them claim and record outcomes: acceptances and outcomes wait for the chain's
        // head, claims do not, and none of them may deadlock another.
        var accepted = Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            foreach (var message in messages.Where((_, n) => n % 2 == i))
            {
                Assert.True((await instances[i].AcceptAsync(message, default)).Applied);
            }
        })));

        // Every claim as its worker got it, in the order the workers sent them: a delivery of a case is claimed only after
        // the one before it was recorded delivered, so this order is the order of sending.
        var sent = new ConcurrentQueue<(string Worker, long DeliveryId, string MessageId)>();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var (queue, worker) = ((IDeliveryQueue)instances[w % 2], $"instance-{w % 2}/worker-{w}");
            var idle = 0;
            while (!accepted.IsCompleted || idle < 20)
            {
                var claimed = await queue.ClaimDeliveriesAsync(worker, TimeSpan.FromMinutes(5), 3, [], default);
                idle = claimed.Count == 0 ? idle + 1 : 0;
                foreach (var c in claimed)
                {
                    sent.Enqueue((worker, c.Delivery.DeliveryId, c.Delivery.MessageId));
                }

                var recorded = await queue.CompleteDeliveriesAsync(
                    worker, [.. claimed.Select(c => new DeliveryCompletion(c.Delivery, DeliveryResolution.Delivered))], default);
                Assert.Equal(claimed.Count, recorded);
                if (claimed.Count == 0)
                {
                    await Task.Yield();
                }
            }
        })).ToArray();
        await accepted;
        await Task.WhenAll(workers);

        var log = sent.ToList();
        Assert.Equal(messages.Count, log.Count);
        Assert.Equal(messages.Count, log.Select(s => s.DeliveryId).Distinct().Count());
        Assert.True(log.Select(s => s.Worker).Distinct().Count() > 1, "The deliveries were shared by the workers.");
        var caseOf = messages.ToDictionary(m => m.MessageId, m => m.CaseReference);
        foreach (var group in log.GroupBy(s => caseOf[s.MessageId]))
        {
            // A case's deliveries are numbered in the order their messages were accepted, under the chain's head.
            Assert.Equal(group.Select(s => s.DeliveryId).Order(), group.Select(s => s.DeliveryId));
        }

        var audit = await Store.Audit.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(messages.Count, audit.Count(a => a.Kind == AuditKinds.DeliveryDelivered));
        Assert.True(AuditVerifier.Verify(audit, await Store.Audit.ReadAuditHeadAsync(default)).IsIntact);
    }

    [StoreFact]
    public async Task A_delivery_another_instance_is_claiming_is_skipped_and_keeps_its_cases_later_delivery_waiting()
    {
        var (first, second, other) = (StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-A"), StoreSamples.Message(null, "CASE-B"));
        foreach (var message in new[] { first, second, other })
        {
            Assert.True((await Store.Intake.AcceptAsync(message, default)).Applied);
        }

        var queue = (IDeliveryQueue)Store.Intake;
        var firstId = Assert.Single(await Store.Intake.GetDeliveriesAsync(first.MessageId, default)).DeliveryId;

        // Another instance's claim, between its lock on the first delivery and its commit: the row still reads pending.
        await using (var elsewhere = new NpgsqlConnection(((PostgresStoreUnderTest)Store).ConnectionString))
        {
            await elsewhere.OpenAsync();
            await using var claim = await elsewhere.BeginTransactionAsync();
            await using (var locking = new NpgsqlCommand($"SELECT 1 FROM deliveries WHERE delivery_id = {firstId} FOR UPDATE", elsewhere, claim))
            {
                await locking.ExecuteScalarAsync();
            }

            var claimed = await queue.ClaimDeliveriesAsync("w", TimeSpan.FromSeconds(30), 10, [], default);

            Assert.Equal([other.MessageId], claimed.Select(c => c.Delivery.MessageId));
        }

        // Given up (rolled back) by the other instance, the first is due again, and its case's second with it, in order.
        Assert.Equal(
            [first.MessageId, second.MessageId],
            (await queue.ClaimDeliveriesAsync("w", TimeSpan.FromSeconds(30), 10, [], default)).Select(c => c.Delivery.MessageId));
    }
}
