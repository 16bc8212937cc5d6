using Grpc.Core;
using Interagency.V1;

namespace Gateway.Bench.Cluster;

/// <summary>
/// A ReferralService that keeps nothing: every SubmitReferral is answered at once with a receipt naming the message and
/// its recipients. What nginx forwards to in the postgres scenario, so that nginx carries the very calls the gateway
/// answers (same method, same request) and the difference is all durability, validation and audit.
/// </summary>
public sealed class NullReferralService : ReferralService.ReferralServiceBase
{
    public override Task<SubmitReferralResponse> SubmitReferral(SubmitReferralRequest request, ServerCallContext context) =>
        Task.FromResult(new SubmitReferralResponse
        {
            Receipt = new Receipt { MessageId = request.Header.MessageId, ResolvedRecipients = { request.Header.Recipients }, State = MessageState.Accepted },
        });
}
