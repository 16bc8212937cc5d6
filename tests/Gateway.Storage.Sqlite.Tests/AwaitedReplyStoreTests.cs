using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// Reply deadlines in the SQLite store: one per recipient of a request, closed, reopened and raised overdue as the change
/// set says, read by the watcher when due and by operators once overdue, and carried over from a store that kept one
/// reply-by per message.
/// </summary>
public sealed class AwaitedReplyStoreTests
{
    [Fact]
    public async Task A_deadline_closed_stays_closed_until_reopened_with_a_new_due_time_which_also_clears_its_overdue_mark()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var request = StoreSamples.Request("CASE-R", clock.GetUtcNow().AddHours(1), "RU/MVD", "US/FBI");
        await temp.Store.AcceptAsync(request, default);
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(2, (await temp.Store.RaiseOverdueAsync(clock.GetUtcNow(), default)).Count);

        await Apply(temp, new CloseAwaitedReply(request.MessageId, "RU/MVD", ReplyClosure.ClarificationRequested, "7"));
        await Apply(temp, new CloseAwaitedReply(request.MessageId, "RU/MVD", ReplyClosure.Answered, "later"));

        Assert.Equal((ReplyClosure.ClarificationRequested, "7"), Closure(temp, request.MessageId, "RU/MVD"));
        Assert.Equal(["US/FBI"], (await Overdue(temp, new OverdueQuery(null, null, DateTimeOffset.UnixEpoch, 0, 10))).Select(o => o.Recipient));

        var due = clock.GetUtcNow().AddHours(8);
        await Apply(temp, new ReopenAwaitedReply(request.MessageId, "RU/MVD", due));

        Assert.True(await temp.Store.IsReplyAwaitedAsync(request.MessageId, "RU/MVD", default));
        Assert.Empty(await temp.Store.FindRepliesDueAsync(clock.GetUtcNow(), default));
        clock.Advance(TimeSpan.FromHours(9));
        var again = Assert.Single(await temp.Store.RaiseOverdueAsync(clock.GetUtcNow(), default));
        Assert.Equal(("RU/MVD", due), (again.Recipient, again.Due));
    }

    [Fact]
    public async Task A_row_change_for_a_recipient_that_owes_no_reply_writes_nothing()
    {
        await using var temp = new TempStore();
        var referral = StoreSamples.Message(recipients: ["CN/FJPSD"]);
        await temp.Store.AcceptAsync(referral, default);

        await Apply(temp, new CloseAwaitedReply(referral.MessageId, "CN/FJPSD", ReplyClosure.Refused, "1"));
        await Apply(temp, new ReopenAwaitedReply(referral.MessageId, "CN/FJPSD", DateTimeOffset.UtcNow));

        Assert.False(await temp.Store.IsReplyAwaitedAsync(referral.MessageId, "CN/FJPSD", default));
        Assert.Equal(0L, Scalar(temp, "SELECT count(*) FROM awaited_replies"));
    }

    [Fact]
    public async Task The_watcher_is_not_given_a_deadline_whose_delivery_is_held_for_review_or_was_refused_on_review()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var held = StoreSamples.Request("CASE-H", clock.GetUtcNow().AddHours(1), "RU/MVD", "US/FBI") with
        {
            State = Interagency.V1.MessageState.HeldForReview,
            InitialDeliveryState = DeliveryState.HeldForReview,
        };
        await temp.Store.AcceptAsync(held, default);
        var deliveries = await temp.Store.GetDeliveriesAsync(held.MessageId, default);
        clock.Advance(TimeSpan.FromHours(2));

        Assert.Empty(await temp.Store.FindRepliesDueAsync(clock.GetUtcNow(), default));

        await temp.Store.ApplyEachAsync([new ChangeSet([], [new RefuseHeldDelivery(deliveries[0].DeliveryId, DeliveryState.RefusedOnReview)], [])], default);
        await temp.Store.ApplyEachAsync([new ChangeSet([], [new RestartDelivery(deliveries[1].DeliveryId, DeliveryState.Pending, Replayed: false)], [])], default);

        Assert.Equal(["US/FBI"], (await temp.Store.FindRepliesDueAsync(clock.GetUtcNow(), default)).Select(r => r.Recipient));
    }

    [Fact]
    public async Task Overdue_replies_are_listed_most_overdue_first_page_after_page_and_by_sender_and_recipient()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var later = StoreSamples.Request("CASE-2", clock.GetUtcNow().AddHours(2), "RU/MVD");
        var earlier = StoreSamples.Request("CASE-1", clock.GetUtcNow().AddHours(1), "RU/MVD", "US/FBI");
        var other = StoreSamples.Request("CASE-3", clock.GetUtcNow().AddHours(3), "US/FBI") with { Sender = Core.Agencies.AgencyId.Parse("CN/MPS") };
        foreach (var request in new[] { later, earlier, other })
        {
            await temp.Store.AcceptAsync(request, default);
        }

        clock.Advance(TimeSpan.FromHours(4));
        await temp.Store.RaiseOverdueAsync(clock.GetUtcNow(), default);

        var first = await Overdue(temp, new OverdueQuery(null, null, DateTimeOffset.UnixEpoch, 0, 2));
        var last = first[^1];
        var second = await Overdue(temp, new OverdueQuery(null, null, last.Due, last.DeliveryId, 2));

        Assert.Equal(
            [(earlier.MessageId, "RU/MVD"), (earlier.MessageId, "US/FBI"), (later.MessageId, "RU/MVD"), (other.MessageId, "US/FBI")],
            first.Concat(second).Select(o => (o.MessageId, o.Recipient)));
        Assert.All(first.Concat(second), o => Assert.Equal(clock.GetUtcNow(), o.OverdueAt));
        Assert.Equal(
            [earlier.MessageId, other.MessageId],
            (await Overdue(temp, new OverdueQuery(null, "US/FBI", DateTimeOffset.UnixEpoch, 0, 10))).Select(o => o.MessageId));
        Assert.Equal([other.MessageId], (await Overdue(temp, new OverdueQuery("CN/MPS", null, DateTimeOffset.UnixEpoch, 0, 10))).Select(o => o.MessageId));
    }

    [Fact]
    public async Task A_store_that_kept_one_reply_by_per_message_awaits_it_from_each_recipient_of_the_requests_still_open()
    {
        var clock = TempStore.Clock();
        await using var temp = new TempStore(clock);
        var open = StoreSamples.Request("CASE-O", clock.GetUtcNow().AddHours(1), "RU/MVD", "US/FBI");
        var answered = StoreSamples.Request("CASE-A", clock.GetUtcNow().AddHours(1), "RU/MVD");
        var withdrawn = StoreSamples.Request("CASE-W", clock.GetUtcNow().AddHours(1), "RU/MVD");
        var noReplyBy = StoreSamples.Message(recipients: ["RU/MVD"]);
        foreach (var message in new[] { open, answered, withdrawn, noReplyBy })
        {
            await temp.Store.AcceptAsync(message, default);
        }

        var due = Core.Audit.AuditChain.ToMicroseconds(clock.GetUtcNow().AddHours(1));

        // As the version before wrote them: the reply-by and what became of it on the message, no table of deadlines.
        await temp.ReopenAsync(path => Execute(path, $"""
            DROP TABLE awaited_replies;
            DROP TABLE changelog;
            UPDATE messages SET reply_by = {due} WHERE message_id IN ('{open.MessageId}', '{answered.MessageId}', '{withdrawn.MessageId}');
            UPDATE messages SET answered_at = 1 WHERE message_id = '{answered.MessageId}';
            UPDATE messages SET withdrawn_at = 1 WHERE message_id = '{withdrawn.MessageId}';
            """));

        clock.Advance(TimeSpan.FromHours(2));
        var awaited = await temp.Store.FindRepliesDueAsync(clock.GetUtcNow(), default);
        Assert.Equal([(open.MessageId, "RU/MVD"), (open.MessageId, "US/FBI")], awaited.Select(r => (r.MessageId, r.Recipient)));
        Assert.All(awaited, r => Assert.Equal(clock.GetUtcNow().AddHours(-1), r.Due));
    }

    private static async Task Apply(TempStore temp, RowChange row) =>
        Assert.True(Assert.Single(await temp.Store.ApplyEachAsync([new ChangeSet([], [row], [])], default)).Applied);

    private static Task<IReadOnlyList<OverdueReplyRecord>> Overdue(TempStore temp, OverdueQuery query) => temp.Store.ListOverdueAsync(query, default);

    private static (ReplyClosure, string) Closure(TempStore temp, string messageId, string recipient)
    {
        using var connection = new SqliteConnection($"Data Source={temp.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.closure, a.closed_by FROM awaited_replies a JOIN deliveries d ON d.delivery_id = a.delivery_id
            WHERE d.message_id = $id AND d.recipient = $recipient
            """;
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$recipient", recipient);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return ((ReplyClosure)reader.GetInt32(0), reader.GetString(1));
    }

    private static long Scalar(TempStore temp, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={temp.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
