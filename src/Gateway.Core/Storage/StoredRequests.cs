using Gateway.Core.Intake;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Storage;

/// <summary>
/// The store keeps each message as the request its sender submitted, in bytes (intake writes them); this reads them back
/// by message kind, for delivery and for operators.
/// </summary>
public static class StoredRequests
{
    public static IMessage Parse(MessageKind kind, byte[] payload) => kind switch
    {
        MessageKind.Referral => SubmitReferralRequest.Parser.ParseFrom(payload),
        MessageKind.LocationRequest => RequestLocationRequest.Parser.ParseFrom(payload),
        MessageKind.LocationReport => ReportLocationRequest.Parser.ParseFrom(payload),
        MessageKind.Withdrawal => WithdrawRequestRequest.Parser.ParseFrom(payload),
        MessageKind.CaseUpdate => PublishUpdatesRequest.Parser.ParseFrom(payload),
        MessageKind.HoldRelease => ReleaseHoldRequest.Parser.ParseFrom(payload),
        MessageKind.HoldCancellation => CancelHoldRequest.Parser.ParseFrom(payload),
        _ => throw new InvalidOperationException($"No request type for message kind {kind}."),
    };
}
