using System.Globalization;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.FunctionalTests.PartnerSim;

/// <summary>Deliveries as the gateway would make them to RU/MVD, each of its own case unless told otherwise.</summary>
public static class SampleDeliveries
{
    public const string Recipient = "RU/MVD";
    private static long _deliveryIds;

    /// <summary>The kidnapping referral; a new delivery id every time, a new message id unless one is given.</summary>
    public static DeliverRequest Referral(string? messageId = null, string? caseReference = null, uint attempt = 1)
    {
        var header = Samples.Header("CN/PLO-RU", Recipient);
        header.MessageId = messageId ?? header.MessageId;
        header.CaseReference = caseReference ?? header.CaseReference;
        return new DeliverRequest
        {
            DeliveryId = NewDeliveryId(),
            Attempt = attempt,
            Header = header,
            Recipient = Recipient,
            Referral = Samples.Referral().Referral,
        };
    }

    /// <summary>A new delivery of the same message (as a retry or a re-delivery after a lost answer would be).</summary>
    public static DeliverRequest Redelivery(DeliverRequest delivery)
    {
        var again = delivery.Clone();
        again.DeliveryId = NewDeliveryId();
        again.Attempt = delivery.Attempt + 1;
        return again;
    }

    /// <summary>Distinct messages of distinct cases, as the gateway puts them in one batch.</summary>
    public static DeliverBatchRequest Batch(int count)
    {
        var batch = new DeliverBatchRequest();
        batch.Deliveries.Add(Enumerable.Range(1, count).Select(i => Referral(caseReference: string.Create(CultureInfo.InvariantCulture, $"CN-FJ-2026-{i:0000}"))));
        return batch;
    }

    private static string NewDeliveryId() => Interlocked.Increment(ref _deliveryIds).ToString(CultureInfo.InvariantCulture);
}
