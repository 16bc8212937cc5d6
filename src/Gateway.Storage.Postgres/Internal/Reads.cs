using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Core.Audit;
using Gateway.Core.Encryption;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// What intake reads before it decides, and the audit log read back, each on a pooled connection of its own. Nothing is
/// cached between calls: another instance may commit at any moment, and would not tell this one (the SQLite store's
/// cache of case parties relies on its single writer).
/// </summary>
internal sealed class Reads(NpgsqlDataSource dataSource, ColumnSeal seal)
{
    private const string MessageColumns =
        "message_id, kind, case_reference, sender, recipients, content_hash, payload, created_at, accepted_at, audit_sequence, state, withdrawn_at, case_owner, trace_parent";

    private const string DeliveryColumns =
        "delivery_id, message_id, recipient, case_reference, state, attempts, lease_owner, lease_until, created_at, last_error, replayed";

    public async Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {MessageColumns} FROM messages WHERE message_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMessage(reader) : null;
    }

    public async Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {DeliveryColumns} FROM deliveries WHERE message_seq = (SELECT seq FROM messages WHERE message_id = $1) ORDER BY delivery_id");
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(ReadDelivery(reader));
        }

        return deliveries;
    }

    public async Task<bool> IsReplyAwaitedAsync(string messageId, string recipient, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT 1 FROM awaited_replies WHERE closed_at IS NULL AND delivery_id =
                (SELECT delivery_id FROM deliveries WHERE message_seq = (SELECT seq FROM messages WHERE message_id = $1) AND recipient = $2)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        command.Parameters.Add(new NpgsqlParameter { Value = recipient });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT referral_message_id, release_party, owner, state, resolved_by, resolved_at FROM holds WHERE referral_seq = (SELECT seq FROM messages WHERE message_id = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = referralMessageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new HoldRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                (HoldState)reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : AuditChain.FromMicroseconds(reader.GetInt64(5)))
            : null;
    }

    public async Task<IReadOnlyList<CaseParty>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken)
    {
        // COLLATE "C": ordered by code point, as SQLite orders text, whatever the database's locale.
        await using var command = dataSource.CreateCommand(
            """SELECT owner, party FROM case_parties WHERE case_reference = $1 ORDER BY owner COLLATE "C", party COLLATE "C" """);
        command.Parameters.Add(new NpgsqlParameter { Value = caseReference });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parties = new List<CaseParty>();
        while (await reader.ReadAsync(cancellationToken))
        {
            parties.Add(new CaseParty(reader.GetString(0), reader.GetString(1)));
        }

        return parties;
    }

    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT seq, at, kind, actor, message_id, detail, prev_hash, hash FROM audit ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return seal.OpenAudit(new AuditRecord(
                reader.GetInt64(0),
                AuditChain.FromMicroseconds(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                (byte[])reader[6],
                (byte[])reader[7]));
        }
    }

    /// <summary>The recorded head; none before the first entry, as in a SQLite store (the row exists from the start here).</summary>
    public async Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT seq, hash FROM audit_head WHERE id = 1 AND seq > 0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AuditHead(reader.GetInt64(0), (byte[])reader[1]) : null;
    }

    private StoredMessage ReadMessage(NpgsqlDataReader r)
    {
        var messageId = r.GetString(0);
        var recipients = r.GetString(4);
        return new StoredMessage(
            messageId,
            (MessageKind)r.GetInt32(1),
            r.GetString(2),
            r.GetString(3),
            (byte[])r[5],
            seal.OpenPayload(messageId, (byte[])r[6]),
            AuditChain.FromMicroseconds(r.GetInt64(7)),
            new AcceptanceReceipt(
                messageId,
                recipients.Length == 0 ? [] : recipients.Split(','),
                AuditChain.FromMicroseconds(r.GetInt64(8)),
                r.GetInt64(9),
                (MessageState)r.GetInt32(10)))
        {
            WithdrawnAt = r.IsDBNull(11) ? null : AuditChain.FromMicroseconds(r.GetInt64(11)),
            CaseOwner = r.IsDBNull(12) ? null : r.GetString(12),
            TraceParent = r.IsDBNull(13) ? null : r.GetString(13),
        };
    }

    public DeliveryRecord ReadDelivery(NpgsqlDataReader r) =>
        new(
            r.GetInt64(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            (DeliveryState)r.GetInt32(4),
            r.GetInt32(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : AuditChain.FromMicroseconds(r.GetInt64(7)))
        {
            CreatedAt = AuditChain.FromMicroseconds(r.GetInt64(8)),
            LastError = seal.OpenLastError(r.GetInt64(0), LastError(r.GetValue(9))),
            Replayed = r.GetBoolean(10),
        };

    /// <summary>The stored last error in the form <see cref="ColumnSeal"/> reads: sealed bytes, or the text written in clear.</summary>
    private static object LastError(object stored) =>
        stored is byte[] bytes && !SealedValue.IsSealed(bytes) ? Encoding.UTF8.GetString(bytes) : stored;
}
