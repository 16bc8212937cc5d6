using Gateway.Core.Intake;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// Brings a store written before cases had owners up to date at open: adds <c>messages.case_owner</c>, and gives each
/// reference's messages one case, owned by the sender of its first message, whose parties are every sender and
/// recipient of them. That is what the gateway took a case to be then, so no agency gains or loses a case by the
/// upgrade; from then on a reference chosen by another agency opens a case of its own.
/// </summary>
internal static class CaseOwnership
{
    public static void Upgrade(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        if (!HasOwnerColumn(connection, transaction))
        {
            Run(connection, transaction, "ALTER TABLE messages ADD COLUMN case_owner TEXT");
        }

        // Notices are the gateway's own, outside any agency's case; every other message has an owner once written.
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var parties = new HashSet<(string Case, string Party)>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT case_reference, sender, recipients FROM messages WHERE case_owner IS NULL AND kind != {(int)MessageKind.Notice} ORDER BY seq";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var reference = reader.GetString(0);
                owners.TryAdd(reference, reader.GetString(1));
                parties.Add((reference, reader.GetString(1)));
                foreach (var recipient in reader.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    parties.Add((reference, recipient));
                }
            }
        }

        if (owners.Count > 0)
        {
            using var join = connection.CreateCommand();
            join.Transaction = transaction;
            join.CommandText = "INSERT OR IGNORE INTO case_parties (case_reference, party, owner) VALUES ($case, $party, $owner)";
            var joinCase = join.Parameters.Add("$case", SqliteType.Text);
            var joinParty = join.Parameters.Add("$party", SqliteType.Text);
            var joinOwner = join.Parameters.Add("$owner", SqliteType.Text);
            foreach (var (reference, party) in parties)
            {
                (joinCase.Value, joinParty.Value, joinOwner.Value) = (reference, party, owners[reference]);
                join.ExecuteNonQuery();
            }

            using var own = connection.CreateCommand();
            own.Transaction = transaction;
            own.CommandText = $"UPDATE messages SET case_owner = $owner WHERE case_reference = $case AND case_owner IS NULL AND kind != {(int)MessageKind.Notice}";
            var ownCase = own.Parameters.Add("$case", SqliteType.Text);
            var ownOwner = own.Parameters.Add("$owner", SqliteType.Text);
            foreach (var (reference, owner) in owners)
            {
                (ownCase.Value, ownOwner.Value) = (reference, owner);
                own.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private static bool HasOwnerColumn(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM pragma_table_info('messages') WHERE name = 'case_owner'";
        return command.ExecuteScalar() is not null;
    }

    private static void Run(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
