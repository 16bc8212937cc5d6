using Gateway.Streams;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Services;

/// <summary>CaseUpdateService on the wire; the stream classes do the work.</summary>
public sealed class CaseUpdateGrpcService(UpdatePublication publication) : CaseUpdateService.CaseUpdateServiceBase
{
    public override Task PublishUpdates(
        IAsyncStreamReader<PublishUpdatesRequest> requestStream, IServerStreamWriter<PublishUpdatesResponse> responseStream, ServerCallContext context) =>
        publication.RunAsync(requestStream, responseStream, context);
}
