using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// A message's trace: its row, its deliveries with their reply deadlines, its audit entries through
/// <c>audit_by_message</c> and the refusals of its id, and the messages that link to it, each found by a key; the flow
/// of entries up to the durable sequence (justifications opened); and searches over messages, one bounded window of rows per page.
/// </summary>
internal sealed class TraceQueries(ReaderConnections readers, ColumnSeal seal)
{
    private static readonly string MessageSql =
        $"SELECT seq, link_target, {MessageReader.MessageColumns("m")} FROM messages m WHERE message_id = $message_id";

    private static readonly string DeliveriesSql = $"""
        SELECT d.next_attempt_at, d.finished_at, a.due_at, {MessageReader.AliasedDeliveryColumns}
        FROM deliveries d LEFT JOIN awaited_replies a ON a.delivery_id = d.delivery_id AND a.closed_at IS NULL
        WHERE d.message_seq = $seq ORDER BY d.delivery_id
        """;

    private static readonly string PageDeliveriesSql = $"""
        SELECT d.next_attempt_at, d.finished_at, a.due_at, {MessageReader.AliasedDeliveryColumns}, d.message_seq
        FROM deliveries d LEFT JOIN awaited_replies a ON a.delivery_id = d.delivery_id AND a.closed_at IS NULL
        WHERE d.message_seq IN (SELECT value FROM json_each($seqs)) ORDER BY d.message_seq, d.delivery_id
        """;

    // The refusals' partial index is used only when the query names its condition as written.
    private static readonly string EventsSql = $"""
        SELECT seq, at, kind, actor, message_id, detail, prev_hash, hash FROM audit
        WHERE seq IN (SELECT audit_seq FROM audit_by_message WHERE message_seq = $seq
                      UNION SELECT seq FROM audit WHERE kind = '{AuditKinds.IntakeRefused}' AND message_id = $message_id)
        ORDER BY seq
        """;

    // Notices about the message are filed under it (WriterSession.AppendAudit); linked messages are found by their link.
    private static readonly string LinkedSql = $"""
        SELECT message_id FROM (
            SELECT seq, message_id FROM messages WHERE link_target = $message_id
            UNION SELECT m.seq, m.message_id FROM audit_by_message b JOIN audit a ON a.seq = b.audit_seq
                  JOIN messages m ON m.message_id = a.message_id
                  WHERE b.message_seq = $seq AND a.kind = '{AuditKinds.NoticeIssued}' AND a.message_id != $message_id)
        ORDER BY seq
        """;

    // Entries that name no message (operator calls, directory snapshots) are not part of any message's flow.
    private static readonly string FlowSql = $"""
        SELECT a.seq, a.at, a.kind, a.actor, a.message_id, a.detail, a.prev_hash, a.hash, m.kind, m.case_reference, m.sender,
               (SELECT group_concat(d.recipient, ',') FROM deliveries d WHERE d.message_seq = m.seq)
        FROM audit a LEFT JOIN messages m ON m.message_id = a.message_id
        WHERE a.seq > $after AND a.seq <= $until AND a.message_id != ''
        ORDER BY a.seq LIMIT $limit
        """;

    public async Task<IReadOnlyList<FlowEntry>> ReadFlowAsync(long afterSequence, long untilSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = FlowSql;
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$until", untilSequence);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<FlowEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var message = reader.IsDBNull(8)
                ? null
                : new FlowMessage(
                    (Gateway.Core.Intake.MessageKind)reader.GetInt32(8),
                    reader.GetString(9),
                    reader.GetString(10),
                    reader.IsDBNull(11) ? [] : reader.GetString(11).Split(','));
            entries.Add(new FlowEntry(seal.OpenAudit(AuditReader.Read(reader)), message));
        }

        return entries;
    }

    public async Task<TracedMessage?> FindTracedMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var session = await readers.RentAsync(cancellationToken);
        await using var snapshot = session.Connection.BeginTransaction(deferred: true);
        return await ReadMessageAsync(session, snapshot, messageId, cancellationToken);
    }

    public async Task<MessageTrace?> GetMessageTraceAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var session = await readers.RentAsync(cancellationToken);
        await using var snapshot = session.Connection.BeginTransaction(deferred: true);
        var message = await ReadMessageAsync(session, snapshot, messageId, cancellationToken);
        var events = new List<AuditRecord>();
        await using (var reader = await Command(session, snapshot, EventsSql, messageId, message?.Position).ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(seal.OpenAudit(AuditReader.Read(reader)));
            }
        }

        if (message is null && events.Count == 0)
        {
            return null;
        }

        var linked = new List<string>();
        if (message is not null)
        {
            await using var reader = await Command(session, snapshot, LinkedSql, messageId, message.Position).ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                linked.Add(reader.GetString(0));
            }
        }

        return new MessageTrace(message, events, linked);
    }

    /// <summary>
    /// A page of a search: the window of at most <see cref="MessageSearch.Examine"/> messages after the page's start, in
    /// its order (by case through <c>messages_by_case_seq</c>, else by row), filtered; the window's last row is where the
    /// next page continues when the filter left the page short.
    /// </summary>
    public async Task<MessageSearchPage> SearchMessagesAsync(MessageSearch search, CancellationToken cancellationToken)
    {
        var (compare, order) = search.NewestFirst ? ("<", "DESC") : (">", "ASC");
        var window = $"FROM messages WHERE seq {compare} $after{(search.CaseReference is null ? string.Empty : " AND case_reference = $case")} ORDER BY seq {order}";
        var filters = new List<string>();
        if (search.Sender is not null)
        {
            filters.Add("m.sender = $sender");
        }

        if (search.Recipient is not null)
        {
            filters.Add(Addressed("$recipient"));
        }

        if (search.Kind is not null)
        {
            filters.Add("m.kind = $kind");
        }

        if (search.State is not null)
        {
            filters.Add("EXISTS (SELECT 1 FROM deliveries d WHERE d.message_seq = m.seq AND d.state = $state)");
        }

        if (search.AcceptedFrom is not null)
        {
            filters.Add("m.accepted_at >= $from");
        }

        if (search.AcceptedUntil is not null)
        {
            filters.Add("m.accepted_at < $until");
        }

        if (search.VisibleTo is not null)
        {
            filters.Add($"(m.sender = $viewer OR {Addressed("$viewer")})");
        }

        await using var connection = await readers.OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        var page = new List<(long Position, string? LinksTo, StoredMessage Message)>();
        await using (var command = SearchCommand(connection, snapshot, search,
            $"""
            SELECT m.seq, m.link_target, {MessageReader.MessageColumns("m")} FROM messages m
            WHERE m.seq IN (SELECT seq {window} LIMIT $examine){string.Concat(filters.Select(f => " AND " + f))}
            ORDER BY m.seq {order} LIMIT $limit
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), MessageReader.Read(reader, seal, offset: 2)));
            }
        }

        long? continueAfter = null;
        if (page.Count > search.Limit)
        {
            page.RemoveAt(search.Limit);
            continueAfter = page[^1].Position;
        }
        else
        {
            await using var command = SearchCommand(connection, snapshot, search, $"SELECT seq {window} LIMIT 1 OFFSET $examine - 1");
            continueAfter = await command.ExecuteScalarAsync(cancellationToken) as long?;
        }

        var deliveries = await ReadDeliveriesAsync(connection, snapshot, page.Select(p => p.Position), cancellationToken);
        return new MessageSearchPage(
            [.. page.Select(p => new TracedMessage(p.Position, p.Message, p.LinksTo, deliveries.TryGetValue(p.Position, out var d) ? d : []))],
            continueAfter);
    }

    /// <summary>Whether the agency in <paramref name="parameter"/> is among the message's recipients (stored as a comma-separated list).</summary>
    private static string Addressed(string parameter) => $"instr(',' || m.recipients || ',', ',' || {parameter} || ',') > 0";

    private static SqliteCommand SearchCommand(SqliteConnection connection, SqliteTransaction snapshot, MessageSearch search, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$after", search.After > 0 ? search.After : search.NewestFirst ? long.MaxValue : 0);
        command.Parameters.AddWithValue("$examine", search.Examine);
        command.Parameters.AddWithValue("$limit", search.Limit + 1);
        command.Parameters.AddWithValue("$case", (object?)search.CaseReference ?? DBNull.Value);
        command.Parameters.AddWithValue("$sender", (object?)search.Sender ?? DBNull.Value);
        command.Parameters.AddWithValue("$recipient", (object?)search.Recipient ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", search.Kind is { } kind ? (int)kind : DBNull.Value);
        command.Parameters.AddWithValue("$state", search.State is { } state ? (int)state : DBNull.Value);
        command.Parameters.AddWithValue("$from", search.AcceptedFrom is { } from ? AuditChain.ToMicroseconds(from) : DBNull.Value);
        command.Parameters.AddWithValue("$until", search.AcceptedUntil is { } until ? AuditChain.ToMicroseconds(until) : DBNull.Value);
        command.Parameters.AddWithValue("$viewer", (object?)search.VisibleTo ?? DBNull.Value);
        return command;
    }

    private async Task<Dictionary<long, List<DeliveryTraceRecord>>> ReadDeliveriesAsync(
        SqliteConnection connection, SqliteTransaction snapshot, IEnumerable<long> positions, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = PageDeliveriesSql;
        command.Parameters.AddWithValue("$seqs", System.Text.Json.JsonSerializer.Serialize(positions));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new Dictionary<long, List<DeliveryTraceRecord>>();
        var seqColumn = reader.FieldCount - 1;
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(seqColumn);
            if (!deliveries.TryGetValue(seq, out var list))
            {
                deliveries[seq] = list = [];
            }

            list.Add(ReadDelivery(reader));
        }

        return deliveries;
    }

    private DeliveryTraceRecord ReadDelivery(SqliteDataReader reader) =>
        new(
            MessageReader.ReadDelivery(reader, seal, offset: 3),
            AuditChain.FromMicroseconds(reader.GetInt64(0)),
            reader.IsDBNull(1) ? null : AuditChain.FromMicroseconds(reader.GetInt64(1)),
            reader.IsDBNull(2) ? null : AuditChain.FromMicroseconds(reader.GetInt64(2)));

    private async Task<TracedMessage?> ReadMessageAsync(
        ReaderConnections.ReadSession session, SqliteTransaction snapshot, string messageId, CancellationToken cancellationToken)
    {
        long position;
        string? linksTo;
        StoredMessage stored;
        await using (var reader = await Command(session, snapshot, MessageSql, messageId, null).ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            position = reader.GetInt64(0);
            linksTo = reader.IsDBNull(1) ? null : reader.GetString(1);
            stored = MessageReader.Read(reader, seal, offset: 2);
        }

        var deliveries = new List<DeliveryTraceRecord>();
        await using (var reader = await Command(session, snapshot, DeliveriesSql, messageId, position).ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                deliveries.Add(ReadDelivery(reader));
            }
        }

        return new TracedMessage(position, stored, linksTo, deliveries);
    }

    private static SqliteCommand Command(ReaderConnections.ReadSession session, SqliteTransaction snapshot, string sql, string messageId, long? seq)
    {
        var command = session.Command(sql, snapshot);
        command.Parameters.AddWithValue("$message_id", messageId);
        command.Parameters.AddWithValue("$seq", (object?)seq ?? DBNull.Value);
        return command;
    }
}
