using Gateway.Streams;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Services;

/// <summary>CaseUpdateService on the wire; subscriptions are followed by <see cref="CaseUpdateSubscription"/>.</summary>
public sealed class CaseUpdateGrpcService(CaseUpdateSubscription subscription) : CaseUpdateService.CaseUpdateServiceBase
{
    public override Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context) =>
        subscription.RunAsync(request, responseStream, context);
}
