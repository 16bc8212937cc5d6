using Gateway.Core.Intake;
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
        switch (claimed.Kind)
        {
            case MessageKind.Referral:
                var referral = SubmitReferralRequest.Parser.ParseFrom(claimed.Payload);
                (request.Header, request.Referral) = (referral.Header, referral.Referral);
                break;
            case MessageKind.LocationRequest:
                var locate = RequestLocationRequest.Parser.ParseFrom(claimed.Payload);
                (request.Header, request.LocationRequest) = (locate.Header, locate.Request);
                break;
            case MessageKind.LocationReport:
                var report = ReportLocationRequest.Parser.ParseFrom(claimed.Payload);
                (request.Header, request.LocationReport) = (report.Header, report.Report);
                break;
            case MessageKind.Withdrawal:
                var withdrawal = WithdrawRequestRequest.Parser.ParseFrom(claimed.Payload);
                (request.Header, request.Withdrawal) = (withdrawal.Header, withdrawal.Withdrawal);
                break;
            case MessageKind.CaseUpdate:
                var update = PublishUpdatesRequest.Parser.ParseFrom(claimed.Payload);
                (request.Header, request.CaseUpdate) = (update.Header, update.Update);
                break;
            case MessageKind.HoldRelease:
                var release = ReleaseHoldRequest.Parser.ParseFrom(claimed.Payload);
                (request.Header, request.HoldRelease) = (release.Header, release.Release);
                break;
            case MessageKind.HoldCancellation:
                var cancellation = CancelHoldRequest.Parser.ParseFrom(claimed.Payload);
                (request.Header, request.HoldCancellation) = (cancellation.Header, cancellation.Cancellation);
                break;
            default:
                throw new InvalidOperationException($"No delivery form for message kind {claimed.Kind}.");
        }

        return request;
    }
}
