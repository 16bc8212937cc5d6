using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Deadlines;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Intake;

/// <summary>
/// What intake does with the store's answer to a change set: a taken id is a replay or a reused id, another failed
/// precondition makes it read and decide again, a bounded number of times.
/// </summary>
public sealed class MessageIntakeTests
{
    private const string Case = "CN-FJ-2026-0042";

    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly ReplyDeadlines Deadlines = new(Options.Create(new ReplyDeadlineOptions()), TimeProvider.System);

    private readonly ScriptedStore _store = new();
    private readonly MessageIntake _intake;

    public MessageIntakeTests()
    {
        var rules = new IntakeRules(SampleDirectory.Provider(), Options.Create(new IntakeLimits()), TimeProvider.System);
        _intake = new MessageIntake(rules, new ReplyRouter(_store, Deadlines, SampleDirectory.Provider()), _store, Deadlines);
    }

    [Fact]
    public async Task A_message_whose_id_is_taken_by_the_same_content_gets_the_stored_receipt()
    {
        var referral = Samples.Referral();
        _store.Outcomes.Enqueue(changes => _store.Taken(Inserted(changes), sameContent: true));

        var result = await SubmitAsync(MessageKind.Referral, referral);

        Assert.True(result.Duplicate);
        Assert.Equal(_store.Messages[referral.Header.MessageId].Receipt, result.Receipt);
        Assert.Empty(_store.Audit);
    }

    [Fact]
    public async Task A_message_whose_id_is_taken_by_other_content_is_refused_as_a_reused_id_and_left_to_the_boundary_to_audit()
    {
        var referral = Samples.Referral();
        _store.Outcomes.Enqueue(changes => _store.Taken(Inserted(changes), sameContent: false));

        var result = await SubmitAsync(MessageKind.Referral, referral);

        Assert.Equal((RefusalCode.AlreadyExists, "message_id_reused"), (result.Refusal!.Code, result.Refusal.Reason));
        Assert.Empty(_store.Audit);
    }

    [Fact]
    public async Task A_reply_whose_deadline_is_closed_before_the_commit_is_decided_again_and_no_longer_closes_it()
    {
        var request = _store.Request("CN/MPS", "RU/MVD");
        _store.Outcomes.Enqueue(_ =>
        {
            _store.Awaited.Remove((request, "RU/MVD"));
            return new ChangeOutcome(new AwaitedReplyOpen(request, "RU/MVD"), At, []);
        });
        _store.Outcomes.Enqueue(_store.Apply);

        var result = await SubmitAsync(MessageKind.LocationReport, Report("RU/MVD", request));

        Assert.NotNull(result.Receipt);
        Assert.Equal(2, _store.Applied.Count);
        Assert.Contains(new CloseAwaitedReply(request, "RU/MVD", ReplyClosure.Answered, result.Receipt.MessageId), _store.Applied[0].Rows);
        Assert.DoesNotContain(_store.Applied[1].Rows, r => r is CloseAwaitedReply);
        Assert.Equal([AuditKinds.MessageAccepted], _store.Applied[1].Audit.Select(a => a.Kind));
    }

    [Fact]
    public async Task A_withdrawal_whose_request_is_withdrawn_before_the_commit_is_decided_again_and_refused()
    {
        var request = _store.Request("CN/MPS", "RU/MVD");
        _store.Outcomes.Enqueue(_ =>
        {
            _store.Messages[request] = _store.Messages[request] with { WithdrawnAt = At };
            return new ChangeOutcome(new RequestNotWithdrawn(request), At, []);
        });

        var result = await SubmitAsync(MessageKind.Withdrawal, Withdrawal("CN/MPS", request));

        Assert.Equal("request_already_withdrawn", result.Refusal?.Reason);
        Assert.Single(_store.Applied);
        Assert.Empty(_store.Audit);
    }

    [Fact]
    public async Task A_message_whose_preconditions_keep_failing_is_decided_a_bounded_number_of_times()
    {
        var request = _store.Request("CN/MPS", "RU/MVD");
        for (var i = 0; i < 10; i++)
        {
            _store.Outcomes.Enqueue(_ => new ChangeOutcome(new AwaitedReplyOpen(request, "RU/MVD"), At, []));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => SubmitAsync(MessageKind.LocationReport, Report("RU/MVD", request)));
        Assert.Equal(5, _store.Applied.Count);
    }

    [Fact]
    public async Task Messages_committed_one_after_the_other_reach_the_store_in_that_order_before_any_commit_completes()
    {
        var first = Samples.Referral();
        var second = Samples.Referral();
        _store.Hold = new TaskCompletionSource();
        _store.Outcomes.Enqueue(_store.Apply);
        _store.Outcomes.Enqueue(_store.Apply);

        var committing = new[]
        {
            _intake.CommitAsync(await _intake.PrepareAsync(MessageKind.Referral, first.Header, first, Caller(first), default), default),
            _intake.CommitAsync(await _intake.PrepareAsync(MessageKind.Referral, second.Header, second, Caller(second), default), default),
        };

        Assert.Equal([first.Header.MessageId, second.Header.MessageId], _store.Applied.Select(c => Inserted(c).MessageId));
        _store.Hold.SetResult();
        Assert.All(await Task.WhenAll(committing), r => Assert.NotNull(r.Receipt));
    }

    private static NewMessage Inserted(ChangeSet changes) => changes.Rows.OfType<InsertMessage>().Single().Message;

    private static AgencyId Caller(SubmitReferralRequest r) => AgencyId.Parse(r.Header.Sender);

    private Task<IntakeResult> SubmitAsync(MessageKind kind, Google.Protobuf.IMessage request)
    {
        var header = (Header)request.Descriptor.FindFieldByName("header").Accessor.GetValue(request);
        return _intake.SubmitAsync(kind, header, request, AgencyId.Parse(header.Sender), default);
    }

    private static ReportLocationRequest Report(string sender, string requestId) => new()
    {
        Header = Samples.Header(sender),
        Report = new LocationReport { RequestMessageId = requestId, Outcome = LocationOutcome.NotFound, ObservedAt = Timestamp.FromDateTime(DateTime.UtcNow) },
    };

    private static WithdrawRequestRequest Withdrawal(string sender, string requestId) => new()
    {
        Header = Samples.Header(sender),
        Withdrawal = new Withdrawal { RequestMessageId = requestId, Reason = WithdrawalReason.Returned },
    };

    /// <summary>A store whose answers to change sets the test scripts, one per call, recording what it was given.</summary>
    private sealed class ScriptedStore : IIntakeStore, IAuditLog
    {
        private long _sequence;

        public Dictionary<string, StoredMessage> Messages { get; } = [];

        /// <summary>The requests and recipients whose reply deadline is open.</summary>
        public HashSet<(string MessageId, string Recipient)> Awaited { get; } = [];

        public Queue<Func<ChangeSet, ChangeOutcome>> Outcomes { get; } = new();

        public List<ChangeSet> Applied { get; } = [];

        public List<AuditEntry> Audit { get; } = [];

        /// <summary>When set, answers to change sets wait for it, as commits wait for the disk.</summary>
        public TaskCompletionSource? Hold { get; set; }

        public string Request(string sender, params string[] recipients)
        {
            var id = Guid.NewGuid().ToString();
            Messages[id] = new StoredMessage(
                id, MessageKind.LocationRequest, Case, sender, [1], [], At, new AcceptanceReceipt(id, recipients, At, ++_sequence, MessageState.Accepted));
            Awaited.UnionWith(recipients.Select(r => (id, r)));
            return id;
        }

        /// <summary>Stores a message under the id first (with the same content or not) and reports the id taken.</summary>
        public ChangeOutcome Taken(NewMessage message, bool sameContent)
        {
            Messages[message.MessageId] = new StoredMessage(
                message.MessageId,
                message.Kind,
                message.CaseReference,
                message.Sender.ToString(),
                sameContent ? message.ContentHash : [9],
                message.Payload,
                At,
                new AcceptanceReceipt(message.MessageId, ["CN/FJPSD"], At, ++_sequence, MessageState.Accepted));
            return new ChangeOutcome(new MessageIdFree(message.MessageId), At, []);
        }

        public ChangeOutcome Apply(ChangeSet changes) => new(null, At, changes.Audit.Select(_ => ++_sequence).ToArray());

        public async Task<ChangeOutcome> AcceptAsync(ChangeSet accept, CancellationToken cancellationToken)
        {
            Applied.Add(accept);
            var outcome = Outcomes.Dequeue()(accept);
            if (Hold is { } hold)
            {
                await hold.Task;
            }

            return outcome;
        }

        public Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken) =>
            Task.FromResult(Messages.GetValueOrDefault(messageId));

        public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DeliveryRecord>>(
                Messages.TryGetValue(messageId, out var message)
                    ? message.Receipt.Recipients.Select((r, i) => new DeliveryRecord(i + 1, messageId, r, Case, DeliveryState.Delivered, 1, null, null)).ToList()
                    : []);

        public Task<bool> IsReplyAwaitedAsync(string messageId, string recipient, CancellationToken cancellationToken) =>
            Task.FromResult(Awaited.Contains((messageId, recipient)));

        public Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken) => Task.FromResult<HoldRecord?>(null);

        public Task<IReadOnlyList<CaseParty>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CaseParty>>([]);

        public Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
        {
            Audit.AddRange(entries);
            return Task.FromResult(_sequence += entries.Count);
        }

        public IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
