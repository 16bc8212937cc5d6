using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>The query over dead letters, shared by listing and replaying by filter: a filter, and pages by delivery id.</summary>
internal static class DeadLetterSql
{
    public static string Select(DeadLetterQuery query, string columns) =>
        $"""
        SELECT {columns} FROM deliveries d JOIN messages m ON m.seq = d.message_seq
        WHERE d.state = {(int)DeliveryState.DeadLettered} AND d.delivery_id > $after
          AND ($recipient IS NULL OR d.recipient = $recipient)
          AND ($case IS NULL OR d.case_reference = $case)
          AND ($message IS NULL OR m.message_id = $message)
        ORDER BY d.delivery_id LIMIT $limit
        """;

    public static void Bind(SqliteCommand command, DeadLetterQuery query)
    {
        command.Parameters.AddWithValue("$after", query.AfterDeliveryId);
        command.Parameters.AddWithValue("$recipient", (object?)query.Recipient ?? DBNull.Value);
        command.Parameters.AddWithValue("$case", (object?)query.CaseReference ?? DBNull.Value);
        command.Parameters.AddWithValue("$message", (object?)query.MessageId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
    }
}
