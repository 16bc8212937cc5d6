using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gateway.Tests.Shared;

/// <summary>
/// A snapshot of a PartnerSim's inbox, read without taking part in it (<c>Mode=ReadOnly</c>), so that a test can
/// check what an endpoint received while it runs, after it stopped or after it was killed.
/// </summary>
public sealed class PartnerInbox
{
    public const string FileName = "inbox.db";

    private PartnerInbox(
        IReadOnlyList<PartnerInboxEntry> applied,
        IReadOnlyDictionary<string, long> duplicatesByMessageId,
        IReadOnlyList<PartnerAnswer> answered,
        IReadOnlyList<PartnerNotice> notices)
    {
        Applied = applied;
        DuplicatesByMessageId = duplicatesByMessageId;
        Answered = answered;
        Notices = notices;
    }

    /// <summary>The deliveries the agency refused or asked a question about instead of applying them.</summary>
    public IReadOnlyList<PartnerAnswer> Answered { get; }

    /// <summary>The notices from the gateway it applied, with what each says.</summary>
    public IReadOnlyList<PartnerNotice> Notices { get; }

    /// <summary>The applied messages in application order.</summary>
    public IReadOnlyList<PartnerInboxEntry> Applied { get; }

    /// <summary>The notices from the gateway applied in <paramref name="caseReference"/>, in application order.</summary>
    public IReadOnlyList<PartnerInboxEntry> AppliedNoticesIn(string caseReference) =>
        [.. Applied.Where(e => e.PayloadKind == "notice" && e.CaseReference == caseReference)];

    /// <summary>How many duplicates of each message id were received (ids never duplicated are absent).</summary>
    public IReadOnlyDictionary<string, long> DuplicatesByMessageId { get; }

    /// <summary>Duplicates received in all.</summary>
    public long Duplicates => DuplicatesByMessageId.Values.Sum();

    public static PartnerInbox Read(string dataDirectory)
    {
        using var connection = Open(dataDirectory);
        using var transaction = connection.BeginTransaction(deferred: true); // one snapshot for both tables
        return new PartnerInbox(ReadApplied(connection), ReadDuplicates(connection), ReadAnswered(connection), ReadNotices(connection));
    }

    /// <summary>How many messages were applied so far, without reading them (cheap enough to poll).</summary>
    public static long Count(string dataDirectory)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM applied";
        return (long)command.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("No PartnerSim inbox here: has a PartnerSim been started on this data folder?", path);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static List<PartnerInboxEntry> ReadApplied(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, message_id, delivery_id, payload_kind, case_reference, sender, recipient, prepare_only, late, replayed, attempt, received_at
            FROM applied ORDER BY seq
            """;
        using var reader = command.ExecuteReader();
        var applied = new List<PartnerInboxEntry>();
        while (reader.Read())
        {
            applied.Add(new PartnerInboxEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetBoolean(7),
                reader.GetBoolean(8),
                reader.GetBoolean(9),
                (uint)reader.GetInt64(10),
                DateTimeOffset.Parse(reader.GetString(11), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        }

        return applied;
    }

    private static List<PartnerAnswer> ReadAnswered(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, delivery_id, payload_kind, outcome, attempt FROM answered ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var answered = new List<PartnerAnswer>();
        while (reader.Read())
        {
            answered.Add(new PartnerAnswer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (uint)reader.GetInt64(4)));
        }

        return answered;
    }

    private static List<PartnerNotice> ReadNotices(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, notice_kind, about_message_id, recipient, reason, text FROM notices ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var notices = new List<PartnerNotice>();
        while (reader.Read())
        {
            notices.Add(new PartnerNotice(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return notices;
    }

    private static Dictionary<string, long> ReadDuplicates(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, count FROM duplicates";
        using var reader = command.ExecuteReader();
        var duplicates = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            duplicates.Add(reader.GetString(0), reader.GetInt64(1));
        }

        return duplicates;
    }
}
