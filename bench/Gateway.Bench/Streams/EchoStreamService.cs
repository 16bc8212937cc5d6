using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Bench.Streams;

/// <summary>
/// The baseline: a plain bidirectional stream that answers each PublishUpdatesRequest at once, with no validation and
/// no storage. It implements the same PublishUpdates method, so it runs on a <see cref="LoopbackGrpcServer"/> of its own
/// rather than next to the gateway's.
/// </summary>
public sealed class EchoStreamService : CaseUpdateService.CaseUpdateServiceBase
{
    public override async Task PublishUpdates(
        IAsyncStreamReader<PublishUpdatesRequest> requestStream, IServerStreamWriter<PublishUpdatesResponse> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(new PublishUpdatesResponse { MessageId = requestStream.Current.Header.MessageId, Outcome = UpdateOutcome.Accepted });
        }
    }
}
