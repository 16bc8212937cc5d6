using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// The case updates each agency follows, read from the deliveries. Unlike the SQLite store's, no horizon bounds the read:
/// a committed row is durable here, and delivery ids become visible in their order, since every transaction that inserts
/// deliveries holds the audit chain's head (<see cref="ChangeTransaction"/>) from before its first insert until its commit.
/// A later id is thus never visible while an earlier one is still to come, and "after sequence N" leaves no gap.
/// </summary>
internal sealed class FeedQueries(NpgsqlDataSource dataSource, ColumnSeal seal)
{
    private static readonly string FeedSql = $"""
        SELECT d.delivery_id, d.message_id, d.case_reference, m.payload
        FROM deliveries d JOIN messages m ON m.seq = d.message_seq
        WHERE d.recipient = $1 AND d.delivery_id > $2 AND d.kind = {(int)MessageKind.CaseUpdate}
          AND (cardinality($3::text[]) = 0 OR d.case_reference = ANY($3::text[]))
        ORDER BY d.delivery_id LIMIT $4
        """;

    public async Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(
        string recipient, IReadOnlyCollection<string> caseReferences, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FeedSql);
        command.Parameters.Add(new NpgsqlParameter { Value = recipient });
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = caseReferences.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<FeedEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var messageId = reader.GetString(1);
            entries.Add(new FeedEntry(reader.GetInt64(0), messageId, reader.GetString(2), seal.OpenPayload(messageId, (byte[])reader[3])));
        }

        return entries;
    }
}
