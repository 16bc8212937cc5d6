namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The store's tables, as the scripts under <c>Migrations/</c> make them. Times are Unix microseconds; states are <c>DeliveryState</c>/<c>MessageState</c>/<c>HoldState</c>
/// values; <c>deliveries.kind</c> is its message's <c>MessageKind</c> (5, case update, is what subscribers follow). Delivery states 1 (pending), 4 (in flight) and 6 (retry wait) are "open": they keep later messages of
/// the same case and recipient waiting.
/// </summary>
/// <remarks>
/// Message ids are chosen by senders (random UUIDs), so every index keyed by one takes each insert on a page of its
/// own, and every such page is written to the WAL and again at checkpoint. Only <c>messages.message_id</c> is such an
/// index, and a narrow one: rows live in insertion order under <c>messages.seq</c>, and deliveries and holds point at
/// that, so their indexes grow at one end. Deliveries still carry the message id, unindexed, for what they return.
/// <para>
/// The tables are made and changed by the scripts under <c>Migrations/</c> (<see cref="SchemaMigrator"/>), one per
/// schema version. Before them, changes that only added kept version 3 and were made at open; the baseline
/// (<c>V3__baseline.sql</c>) does what open did then: <c>deliveries_held_for_review</c>, delivery state 9 (refused on
/// review) and the claim's indexes came so, and the indexes they replaced (<c>deliveries_waiting</c>,
/// <c>deliveries_in_flight</c>, <c>deliveries_waiting_by_recipient</c>, <c>deliveries_due</c>) are dropped.
/// </para>
/// <para>
/// A case is its reference and its owner (<c>messages.case_owner</c>, the agency that opened it); <c>case_parties</c>
/// holds who takes part in each, keyed so that the cases under one reference are one range. Both came without a new
/// version; the baseline fills them in for an older file from its messages.
/// <c>messages_by_case</c> served the reading of parties from messages, and is dropped.
/// </para>
/// <para>
/// <c>messages.trace_parent</c> is the W3C traceparent a message's delivery attempts continue (<c>NewMessage.TraceParent</c>);
/// an older file gets the column from <see cref="SchemaMigrator"/>, and the messages it stored keep none.
/// </para>
/// <para>
/// A claim takes the oldest due deliveries by delivery id. <c>deliveries_pending_by_recipient</c> holds pending
/// deliveries, which are due from when they are written, by recipient and then id; <c>deliveries_retrying_by_recipient</c>
/// holds those waiting for a retry by recipient and then retry time. A claim finds the recipients with work in one seek
/// each and reads each one's oldest pending deliveries and its retries that are due; a recipient it skips (its endpoint
/// backed off) costs one seek whatever its backlog, and retries not yet due are not read (when they were, a large
/// backlog slowed every claim of its endpoint: docs/tuning-figures.md). <c>deliveries_leased</c> finds the leases that ran out with one
/// seek. Without these SQLite walked the whole table in id order for every claim, and delivery slowed down as the store
/// grew. <c>deliveries_retry_due</c> tells the dispatcher when the next retry is due; pending deliveries are due already,
/// so it leaves them out, and accepting a message writes one index page fewer.
/// </para>
/// <para>
/// <c>awaited_replies</c> holds one row per recipient of a request that awaits a reply (<c>ReplyDeadlines</c>), keyed
/// by the request's delivery to it, so its key grows at one end like the deliveries'; a row is found by its request and
/// recipient through the deliveries' unique (message, recipient) index. <c>awaited_replies_due</c> holds the open
/// deadlines by due time, which the watcher reads; <c>awaited_replies_overdue</c> those raised overdue and still open,
/// which operators list. Times and <c>closure</c> (<c>ReplyClosure</c>) are as elsewhere.
/// </para>
/// <para>
/// A message's timeline is read without an index on <c>audit.message_id</c>, which would take a random page per entry:
/// <c>audit_by_message</c> files each entry about a stored message under the message's row, written with the entry, so
/// its key grows at the end for a new message and stays among recent rows for its deliveries. A refusal may name a
/// message never stored; refusals are rare and budgeted, so <c>audit_refusals_by_message</c> indexes those by id.
/// <c>messages_by_link</c> finds the replies, withdrawals and releases of a message; only such messages have a link.
/// <c>messages_by_case_seq</c> serves a search by case newest (or oldest) first in one range, whatever the store's size;
/// a case's messages come one after the other, so its writes land at the end of that case's range.
/// </para>
/// </remarks>
internal static class Schema;
