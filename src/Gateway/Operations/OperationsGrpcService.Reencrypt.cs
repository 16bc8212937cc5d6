using Gateway.Core.Encryption;
using Gateway.Encryption;
using Gateway.Identity;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Operations;

public sealed partial class OperationsGrpcService
{
    public const int DefaultReencryptionBatch = 500;

    /// <summary>
    /// Runs re-encryption batch after batch until every value is under the active key, or the caller goes away (the
    /// batch under way finishes; the run resumes from the last position reported). The gateway owns the store's single
    /// writer, so the work runs here and not in the CLI. The ring and store come from the call's services, as this part
    /// of the service is kept apart from the constructor the other operator calls share.
    /// </summary>
    public override async Task ReencryptStore(
        ReencryptStoreRequest request, IServerStreamWriter<ReencryptStoreResponse> responseStream, ServerCallContext context)
    {
        var services = context.GetHttpContext().RequestServices;
        var store = services.GetRequiredService<IReencryptionStore>();
        var keys = services.GetRequiredService<DataKeyRing>();
        var name = context.GetOperator();
        var batchSize = request.BatchSize == 0 ? DefaultReencryptionBatch : (int)request.BatchSize;
        var position = request.ResumeFrom is { } from ? new ReencryptionCursor(from.MessageRow, from.DeliveryId) : ReencryptionCursor.Start;
        long scanned = 0;
        long resealed = 0;
        EncryptionLog.ReencryptionStarted(logger, name.Value, keys.Active.Id, position.MessageSeq, position.DeliveryId);
        ReencryptionBatch batch;
        do
        {
            batch = await store.ReencryptAsync(position, batchSize, context.CancellationToken);
            position = batch.Next;
            scanned += batch.Scanned;
            resealed += batch.Resealed;
            await responseStream.WriteAsync(new ReencryptStoreResponse
            {
                ActiveKeyId = keys.Active.Id,
                Position = new Interagency.V1.ReencryptionPosition { MessageRow = position.MessageSeq, DeliveryId = position.DeliveryId },
                RowsScanned = scanned,
                ValuesResealed = resealed,
                LastMessageRow = batch.LastMessageSeq,
                LastDeliveryId = batch.LastDeliveryId,
                Done = batch.Done,
            });
        }
        while (!batch.Done);

        EncryptionLog.ReencryptionDone(logger, name.Value, keys.Active.Id, scanned, resealed);
    }
}
