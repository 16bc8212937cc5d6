using System.Collections.Concurrent;
using Gateway.Core.Audit;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Contract.Tests.Infrastructure;
using Gateway.Tests.Shared;

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
    public async Task Two_instances_claiming_in_a_loop_never_hold_one_delivery_at_once_and_keep_each_cases_order()
    {
        var messages = Enumerable.Range(0, Cases * MessagesPerCase).Select(i => StoreSamples.Message(null, $"CASE-{i % Cases}")).ToList();
        foreach (var message in messages)
        {
            Assert.True((await Store.Intake.AcceptAsync(message, default)).Applied);
        }

        await using var second = await PostgresStoreUnderTest.OpenStoreAsync(((PostgresStoreUnderTest)Store).ConnectionString, null);
        IDeliveryQueue[] instances = [(IDeliveryQueue)Store.Intake, second];

        // Every claim as its worker got it, in the order the workers sent them: a delivery of a case is claimed only after
        // the one before it was recorded delivered, so this order is the order of sending.
        var sent = new ConcurrentQueue<(string Worker, long DeliveryId, string MessageId)>();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var (queue, worker) = (instances[w % 2], $"instance-{w % 2}/worker-{w}");
            var idle = 0;
            while (idle < 20)
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
        await Task.WhenAll(workers);

        var log = sent.ToList();
        Assert.Equal(messages.Count, log.Count);
        Assert.Equal(messages.Count, log.Select(s => s.DeliveryId).Distinct().Count());
        Assert.True(log.Select(s => s.Worker).Distinct().Count() > 1, "The deliveries were shared by the workers.");
        var caseOf = messages.ToDictionary(m => m.MessageId, m => m.CaseReference);
        foreach (var group in log.GroupBy(s => caseOf[s.MessageId]))
        {
            var order = group.Select(s => s.MessageId).ToList();
            Assert.Equal(messages.Where(m => m.CaseReference == group.Key).Select(m => m.MessageId), order);
        }

        var audit = await Store.Audit.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(messages.Count, audit.Count(a => a.Kind == AuditKinds.DeliveryDelivered));
        Assert.True(AuditVerifier.Verify(audit, await Store.Audit.ReadAuditHeadAsync(default)).IsIntact);
    }
}
