using Interagency.V1;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;

namespace Gateway.Fuzz;

/// <summary>
/// The store as intake sees it before the commit, read-only and in memory: one location request and one referral with
/// an open coordination hold, both on the sample case, so that replies, hold notices and case updates can be routed all
/// the way rather than stopping at "unknown". Harnesses stop before the commit, so only the reads intake makes exist.
/// </summary>
internal sealed class ReferenceStore : IIntakeStore, IAuditLog
{
    public const string CaseReference = "CN-FJ-2026-0042";
    public const string LocationRequestId = "6b0c1f4e-2f61-4c1e-9a57-0d3c8f1a9b20";
    public const string ReferralId = "3f8e2d71-5a0b-4c9e-8d26-7e4b1c0a5f93";

    private static readonly DateTimeOffset Accepted = FuzzClock.Now.AddHours(-1);

    private static readonly StoredMessage LocationRequest = Stored(
        LocationRequestId, MessageKind.LocationRequest, "CN/MPS", ["RU/MVD", "CN/PLO-TH", "US/FBI"]);

    private static readonly StoredMessage Referral = Stored(ReferralId, MessageKind.Referral, "CN/PLO-RU", ["CN/FJPSD"]);

    // One recipient reached, two not yet, so that a withdrawal both withdraws deliveries and is addressed.
    private static readonly DeliveryRecord[] LocationRequestDeliveries =
    [
        new(1, LocationRequestId, "RU/MVD", CaseReference, DeliveryState.Delivered, 1, null, null),
        new(2, LocationRequestId, "CN/PLO-TH", CaseReference, DeliveryState.Pending, 0, null, null),
        new(3, LocationRequestId, "US/FBI", CaseReference, DeliveryState.RetryWait, 2, null, null),
    ];

    private static readonly HoldRecord Hold = new(ReferralId, "RU/MVD", "CN/PLO-RU", HoldState.Open, null, null);

    // One case, opened by the ministry, that every agency of the stored messages takes part in.
    private static readonly CaseParty[] CaseParties =
        [.. new[] { "CN/MPS", "CN/PLO-RU", "CN/FJPSD", "CN/PLO-TH", "RU/MVD", "US/FBI" }.Select(party => new CaseParty("CN/MPS", party))];

    public Task<StoredMessage?> FindMessageAsync(string messageId, CancellationToken cancellationToken) =>
        Task.FromResult(messageId switch
        {
            LocationRequestId => LocationRequest,
            ReferralId => Referral,
            _ => null,
        });

    public Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string messageId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeliveryRecord>>(messageId == LocationRequestId ? LocationRequestDeliveries : []);

    // Every recipient still owes its reply, so that a reply is decided all the way to the deadline it closes.
    public Task<bool> IsReplyAwaitedAsync(string messageId, string recipient, CancellationToken cancellationToken) =>
        Task.FromResult(messageId is LocationRequestId or ReferralId);

    public Task<HoldRecord?> FindHoldAsync(string referralMessageId, CancellationToken cancellationToken) =>
        Task.FromResult(referralMessageId == ReferralId ? Hold : null);

    public Task<IReadOnlyList<CaseParty>> GetCasePartiesAsync(string caseReference, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CaseParty>>(caseReference == CaseReference ? CaseParties : []);

    public Task<long> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) => Task.FromResult(1L);

    // Everything below is past the point where the harnesses stop: reaching it is a harness bug, reported as a crash.
    public Task<ChangeOutcome> AcceptAsync(ChangeSet accept, CancellationToken cancellationToken) => throw Beyond();

    public IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken) => throw Beyond();

    public Task<AuditHead?> ReadAuditHeadAsync(CancellationToken cancellationToken) => throw Beyond();

    private static StoredMessage Stored(string id, MessageKind kind, string sender, string[] recipients) =>
        new(id, kind, CaseReference, sender, new byte[32], [], Accepted, new AcceptanceReceipt(id, recipients, Accepted, 1, MessageState.Accepted))
        {
            CaseOwner = "CN/MPS",
        };

    private static NotSupportedException Beyond() => new("The fuzz harnesses stop before the commit; intake reached past it.");
}
