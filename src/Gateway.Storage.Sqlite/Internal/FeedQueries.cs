using Gateway.Core.Storage;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The case updates each agency follows, read from the deliveries: only those already flushed to disk
/// (<paramref name="durableDeliveryId"/>), so a subscriber never sees an update a crash could take back.
/// </summary>
internal sealed class FeedQueries(ReaderConnections readers, ColumnSeal seal, Func<long> durableDeliveryId)
{
    public async Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(
        string recipient, IReadOnlyCollection<string> caseReferences, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT d.delivery_id, d.message_id, d.case_reference, m.payload
            FROM deliveries d JOIN messages m ON m.seq = d.message_seq
            WHERE d.recipient = $recipient AND d.delivery_id > $after AND d.kind = {(int)Gateway.Core.Intake.MessageKind.CaseUpdate}
              AND ($all OR d.case_reference IN (SELECT value FROM json_each($cases)))
              AND d.delivery_id <= $durable
            ORDER BY d.delivery_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$durable", durableDeliveryId());
        command.Parameters.AddWithValue("$recipient", recipient);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$all", caseReferences.Count == 0);
        command.Parameters.AddWithValue("$cases", System.Text.Json.JsonSerializer.Serialize(caseReferences));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<FeedEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new FeedEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), seal.OpenPayload(reader.GetString(1), (byte[])reader[3])));
        }

        return entries;
    }
}
