using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// A message's trace, the flow of audit entries and searches over messages, with the SQLite store's queries and meanings
/// (<c>Gateway.Storage.Sqlite.Internal.TraceQueries</c>): the message's entries found through <c>audit_by_message</c>
/// and the refusals of its id, the messages that link to it, each read in one snapshot.
/// </summary>
internal sealed class TraceQueries(NpgsqlDataSource dataSource, ColumnSeal seal)
{
    private static readonly string MessageSql = $"SELECT m.seq, m.link_target, {RowReader.MessageColumns("m")} FROM messages m WHERE m.message_id = $1";

    private static readonly string DeliveriesSql = $"""
        SELECT d.next_attempt_at, d.finished_at, a.due_at, {RowReader.DeliveryColumns("d")}, d.message_seq
        FROM deliveries d LEFT JOIN awaited_replies a ON a.delivery_id = d.delivery_id AND a.closed_at IS NULL
        WHERE d.message_seq = ANY($1) ORDER BY d.message_seq, d.delivery_id
        """;

    // The refusals' partial index is used only when the query names its condition as written.
    private static readonly string EventsSql = $"""
        SELECT {RowReader.AuditColumns} FROM audit
        WHERE seq IN (SELECT audit_seq FROM audit_by_message WHERE message_seq = $2
                      UNION SELECT seq FROM audit WHERE kind = '{AuditKinds.IntakeRefused}' AND message_id = $1)
        ORDER BY seq
        """;

    // Notices about the message are filed under it (ChangeTransaction.AppendAudit); linked messages are found by their link.
    private static readonly string LinkedSql = $"""
        SELECT message_id FROM (
            SELECT seq, message_id FROM messages WHERE link_target = $1
            UNION SELECT m.seq, m.message_id FROM audit_by_message b JOIN audit a ON a.seq = b.audit_seq
                  JOIN messages m ON m.message_id = a.message_id
                  WHERE b.message_seq = $2 AND a.kind = '{AuditKinds.NoticeIssued}' AND a.message_id <> $1) linked
        ORDER BY seq
        """;

    // Entries that name no message (operator calls, directory snapshots) are not part of any message's flow.
    private static readonly string FlowSql = $"""
        SELECT a.seq, a.at, a.kind, a.actor, a.message_id, a.detail, a.prev_hash, a.hash, m.kind, m.case_reference, m.sender,
               (SELECT string_agg(d.recipient, ',' ORDER BY d.delivery_id) FROM deliveries d WHERE d.message_seq = m.seq)
        FROM audit a LEFT JOIN messages m ON m.message_id = a.message_id
        WHERE a.seq > $1 AND a.seq <= $2 AND a.message_id <> ''
        ORDER BY a.seq LIMIT $3
        """;

    public async Task<IReadOnlyList<FlowEntry>> ReadFlowAsync(long afterSequence, long untilSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FlowSql);
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = untilSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<FlowEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var message = reader.IsDBNull(8)
                ? null
                : new FlowMessage(
                    (MessageKind)reader.GetInt32(8),
                    reader.GetString(9),
                    reader.GetString(10),
                    reader.IsDBNull(11) ? [] : reader.GetString(11).Split(','));
            entries.Add(new FlowEntry(RowReader.ReadAudit(reader, seal), message));
        }

        return entries;
    }

    public async Task<TracedMessage?> FindTracedMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var snapshot = await Snapshot.BeginAsync(dataSource, cancellationToken);
        return await ReadMessageAsync(snapshot, messageId, cancellationToken);
    }

    public async Task<MessageTrace?> GetMessageTraceAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var snapshot = await Snapshot.BeginAsync(dataSource, cancellationToken);
        var message = await ReadMessageAsync(snapshot, messageId, cancellationToken);
        var events = new List<AuditRecord>();
        await using (var command = snapshot.Command(EventsSql, messageId, message?.Position))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(RowReader.ReadAudit(reader, seal));
            }
        }

        if (message is null && events.Count == 0)
        {
            return null;
        }

        var linked = new List<string>();
        if (message is not null)
        {
            await using var command = snapshot.Command(LinkedSql, messageId, message.Position);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
        var parameters = new List<object?> { search.After > 0 ? search.After : search.NewestFirst ? long.MaxValue : 0L, (long)search.Examine };
        string Bind(object value)
        {
            parameters.Add(value);
            return "$" + parameters.Count;
        }

        var window = $"FROM messages WHERE seq {compare} $1{(search.CaseReference is null ? string.Empty : " AND case_reference = " + Bind(search.CaseReference))} ORDER BY seq {order}";
        var filters = new List<string>();
        if (search.Sender is not null)
        {
            filters.Add("m.sender = " + Bind(search.Sender));
        }

        if (search.Recipient is not null)
        {
            filters.Add(Addressed(Bind(search.Recipient)));
        }

        if (search.Kind is { } kind)
        {
            filters.Add("m.kind = " + Bind((int)kind));
        }

        if (search.State is { } state)
        {
            filters.Add($"EXISTS (SELECT 1 FROM deliveries d WHERE d.message_seq = m.seq AND d.state = {Bind((int)state)})");
        }

        if (search.AcceptedFrom is { } from)
        {
            filters.Add("m.accepted_at >= " + Bind(AuditChain.ToMicroseconds(from)));
        }

        if (search.AcceptedUntil is { } until)
        {
            filters.Add("m.accepted_at < " + Bind(AuditChain.ToMicroseconds(until)));
        }

        if (search.VisibleTo is not null)
        {
            var viewer = Bind(search.VisibleTo);
            filters.Add($"(m.sender = {viewer} OR {Addressed(viewer)})");
        }

        var limit = Bind((long)search.Limit + 1);
        await using var snapshot = await Snapshot.BeginAsync(dataSource, cancellationToken);
        var page = new List<(long Position, string? LinksTo, StoredMessage Message)>();
        await using (var command = snapshot.Command(
            $"""
            SELECT m.seq, m.link_target, {RowReader.MessageColumns("m")} FROM messages m
            WHERE m.seq IN (SELECT seq {window} LIMIT $2){string.Concat(filters.Select(f => " AND " + f))}
            ORDER BY m.seq {order} LIMIT {limit}
            """,
            [.. parameters]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), RowReader.ReadMessage(reader, seal, offset: 2)));
            }
        }

        long? continueAfter;
        if (page.Count > search.Limit)
        {
            page.RemoveAt(search.Limit);
            continueAfter = page[^1].Position;
        }
        else
        {
            // Only the window's own parameters: PostgreSQL refuses a statement given parameters it does not use.
            var windowParameters = parameters.Take(search.CaseReference is null ? 2 : 3).ToArray();
            await using var command = snapshot.Command($"SELECT seq {window} LIMIT 1 OFFSET $2 - 1", windowParameters);
            continueAfter = await command.ExecuteScalarAsync(cancellationToken) as long?;
        }

        var deliveries = await ReadDeliveriesAsync(snapshot, [.. page.Select(p => p.Position)], cancellationToken);
        return new MessageSearchPage(
            [.. page.Select(p => new TracedMessage(p.Position, p.Message, p.LinksTo, deliveries.TryGetValue(p.Position, out var d) ? d : []))],
            continueAfter);
    }

    /// <summary>Whether the agency in <paramref name="parameter"/> is among the message's recipients (stored as a comma-separated list).</summary>
    private static string Addressed(string parameter) => $"{parameter} = ANY(string_to_array(m.recipients, ','))";

    private async Task<TracedMessage?> ReadMessageAsync(Snapshot snapshot, string messageId, CancellationToken cancellationToken)
    {
        long position;
        string? linksTo;
        StoredMessage stored;
        await using (var command = snapshot.Command(MessageSql, messageId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            position = reader.GetInt64(0);
            linksTo = reader.IsDBNull(1) ? null : reader.GetString(1);
            stored = RowReader.ReadMessage(reader, seal, offset: 2);
        }

        var deliveries = await ReadDeliveriesAsync(snapshot, [position], cancellationToken);
        return new TracedMessage(position, stored, linksTo, deliveries.TryGetValue(position, out var d) ? d : []);
    }

    private async Task<Dictionary<long, List<DeliveryTraceRecord>>> ReadDeliveriesAsync(Snapshot snapshot, long[] positions, CancellationToken cancellationToken)
    {
        var deliveries = new Dictionary<long, List<DeliveryTraceRecord>>();
        if (positions.Length == 0)
        {
            return deliveries;
        }

        await using var command = snapshot.Command(DeliveriesSql, positions);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var seqColumn = reader.FieldCount - 1;
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(seqColumn);
            if (!deliveries.TryGetValue(seq, out var list))
            {
                deliveries[seq] = list = [];
            }

            list.Add(new DeliveryTraceRecord(
                RowReader.ReadDelivery(reader, seal, offset: 3),
                AuditChain.FromMicroseconds(reader.GetInt64(0)),
                RowReader.Time(reader, 1),
                RowReader.Time(reader, 2)));
        }

        return deliveries;
    }
}
