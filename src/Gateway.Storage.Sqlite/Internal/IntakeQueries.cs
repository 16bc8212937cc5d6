using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Gateway.Core.Encryption;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>What intake reads before it decides: a message, its deliveries, a referral's hold, the parties of the cases under a reference.</summary>
internal sealed class IntakeQueries(string readConnectionString, CasePartiesCache caseParties, ColumnSeal seal)
{
    public async Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = MessageReader.SelectById;
        command.Parameters.AddWithValue("$message_id", messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? MessageReader.Read(reader, seal) : null;
    }

    public async Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MessageReader.DeliveryColumns} FROM deliveries WHERE message_seq = (SELECT seq FROM messages WHERE message_id = $message_id) ORDER BY delivery_id";
        command.Parameters.AddWithValue("$message_id", messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(MessageReader.ReadDelivery(reader, seal));
        }

        return deliveries;
    }

    public async Task<bool> IsReplyAwaitedAsync(string messageId, string recipient, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT 1 FROM awaited_replies WHERE delivery_id = {AwaitedReplyRows.DeliveryOf("$message_id", "$recipient")} AND closed_at IS NULL";
        command.Parameters.AddWithValue("$message_id", messageId);
        command.Parameters.AddWithValue("$recipient", recipient);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT referral_message_id, release_party, owner, state, resolved_by, resolved_at FROM holds WHERE referral_seq = (SELECT seq FROM messages WHERE message_id = $id)";
        command.Parameters.AddWithValue("$id", referralMessageId);
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
        var version = caseParties.VersionOf(caseReference);
        if (caseParties.TryGet(caseReference, out var cached))
        {
            return cached;
        }

        var parties = await ReadCasePartiesAsync(caseReference, cancellationToken);
        caseParties.Put(caseReference, version, parties);
        return parties;
    }

    private async Task<IReadOnlyList<CaseParty>> ReadCasePartiesAsync(string caseReference, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT owner, party FROM case_parties WHERE case_reference = $case ORDER BY owner, party";
        command.Parameters.AddWithValue("$case", caseReference);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parties = new List<CaseParty>();
        while (await reader.ReadAsync(cancellationToken))
        {
            parties.Add(new CaseParty(reader.GetString(0), reader.GetString(1)));
        }

        return parties;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
