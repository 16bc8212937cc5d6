using Gateway.Core.Storage;
using Interagency.V1;

namespace Gateway.Delivery;

/// <summary>Turns a claimed delivery (the request as received, stored as bytes) into what the endpoint is sent.</summary>
public static class DeliverRequestFactory
{
    public static DeliverRequest Create(ClaimedDelivery claimed)
    {
        var delivery = claimed.Delivery;
        var request = new DeliverRequest
        {
            DeliveryId = delivery.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Attempt = (uint)delivery.Attempts,
            PrepareOnly = claimed.PrepareOnly,
            Recipient = delivery.Recipient,
            Late = claimed.Late,
            Replayed = delivery.Replayed,
        };
        switch (StoredRequests.Parse(claimed.Kind, claimed.Payload))
        {
            case SubmitReferralRequest referral:
                (request.Header, request.Referral) = (referral.Header, referral.Referral);
                break;
            case RequestLocationRequest locate:
                (request.Header, request.LocationRequest) = (locate.Header, locate.Request);
                break;
            case ReportLocationRequest report:
                (request.Header, request.LocationReport) = (report.Header, report.Report);
                break;
            case WithdrawRequestRequest withdrawal:
                (request.Header, request.Withdrawal) = (withdrawal.Header, withdrawal.Withdrawal);
                break;
            case PublishUpdatesRequest update:
                (request.Header, request.CaseUpdate) = (update.Header, update.Update);
                break;
            case ReleaseHoldRequest release:
                (request.Header, request.HoldRelease) = (release.Header, release.Release);
                break;
            case CancelHoldRequest cancellation:
                (request.Header, request.HoldCancellation) = (cancellation.Header, cancellation.Cancellation);
                break;
        }

        return request;
    }
}
