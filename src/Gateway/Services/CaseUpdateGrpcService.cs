using Gateway.Streams;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Services;

/// <summary>
/// CaseUpdateService on the wire: partners' streams are run by <see cref="UpdatePublication"/>, subscriptions followed by
/// <see cref="CaseUpdateSubscription"/>.
/// </summary>
public sealed class CaseUpdateGrpcService(UpdatePublication publication, CaseUpdateSubscription subscription) : CaseUpdateService.CaseUpdateServiceBase
{
    public override Task PublishUpdates(
        IAsyncStreamReader<PublishUpdatesRequest> requestStream, IServerStreamWriter<PublishUpdatesResponse> responseStream, ServerCallContext context) =>
        publication.RunAsync(requestStream, responseStream, context);

    public override Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context) =>
        subscription.RunAsync(request, responseStream, context);
}
