using Gateway.Storage.Sqlite;
using Interagency.V1;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Grpc.Core;

namespace Gateway.FunctionalTests.Operations;

/// <summary>What the operations tests share: the operator header, dead letters made through the store, the audit log.</summary>
internal static class OperatorFixtures
{
    public const string Operator = "duty-officer-1";

    private const string Worker = "operations-tests";

    public static Metadata AsOperator(string name = Operator) => new() { { "x-liaison-operator", name } };

    /// <summary>A message accepted for <paramref name="recipient"/> whose delivery is left pending.</summary>
    public static async Task<TestDelivery> PendingAsync(SqliteMessageStore store, string recipient, string caseReference)
    {
        // A real referral as payload: a replay checks its route (and handling code) against the agreements again.
        var referral = Samples.Referral("CN/PLO-RU", recipient);
        referral.Header.CaseReference = caseReference;
        var message = new NewMessage(
            referral.Header.MessageId,
            MessageKind.Referral,
            caseReference,
            AgencyId.Parse("CN/PLO-RU"),
            [AgencyId.Parse(recipient)],
            Guid.NewGuid().ToByteArray(),
            referral.ToByteArray(),
            DateTimeOffset.UtcNow,
            MessageState.Accepted,
            DeliveryState.Pending);
        Assert.True((await store.AcceptAsync(message, default)).Applied);
        return new TestDelivery(Assert.Single(await store.GetDeliveriesAsync(message.MessageId, default)).DeliveryId, message.MessageId);
    }

    /// <summary>A delivery that was claimed once and dead-lettered (delivery is off in the test server).</summary>
    public static async Task<TestDelivery> DeadLetterAsync(SqliteMessageStore store, string recipient, string caseReference)
    {
        var delivery = await PendingAsync(store, recipient, caseReference);
        var claimed = await store.ClaimDeliveriesAsync(Worker, TimeSpan.FromMinutes(10), 1000, [], default);
        var leased = Assert.Single(claimed, c => c.Delivery.DeliveryId == delivery.Id).Delivery;
        Assert.Equal(1, await store.CompleteDeliveriesAsync(
            Worker, [new DeliveryCompletion(leased, DeliveryResolution.DeadLettered, null, "Unavailable: endpoint down")], default));
        return delivery;
    }

    public static async Task<DeliveryRecord> FindAsync(SqliteMessageStore store, TestDelivery delivery) =>
        Assert.Single(await store.GetDeliveriesAsync(delivery.MessageId, default));

    public static async Task<List<AuditRecord>> AuditAsync(SqliteMessageStore store, string kind)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in store.ReadAuditAsync(default))
        {
            if (record.Kind == kind)
            {
                records.Add(record);
            }
        }

        return records;
    }
}
