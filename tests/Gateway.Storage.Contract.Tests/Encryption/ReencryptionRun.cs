using Gateway.Core.Encryption;

namespace Gateway.Storage.Contract.Tests.Encryption;

/// <summary>A re-encryption run as the gateway's command drives it: batch after batch from the start until one says it is done.</summary>
internal static class ReencryptionRun
{
    /// <summary>Runs <paramref name="store"/>'s re-encryption to the end; returns the rows resealed and the batches it took.</summary>
    public static async Task<(int Resealed, int Batches)> ToEndAsync(IReencryptionStore store, int batchSize)
    {
        var resealed = 0;
        var batches = 0;
        var position = ReencryptionCursor.Start;
        ReencryptionBatch batch;
        do
        {
            batch = await store.ReencryptAsync(position, batchSize, default);
            position = batch.Next;
            resealed += batch.Resealed;
            batches++;
        }
        while (!batch.Done);
        return (resealed, batches);
    }
}
