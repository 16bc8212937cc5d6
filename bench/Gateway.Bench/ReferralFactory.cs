using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.Bench;

/// <summary>
/// Builds the kidnapping-for-ransom referral of the reference scenario (CN liaison office in Moscow to
/// Fujian, held until the Russian police free the victim), with a new message id each time so that
/// every call is a fresh durable commit rather than an idempotent replay.
/// </summary>
public static class ReferralFactory
{
    public const string Sender = "CN/PLO-RU";

    /// <summary>
    /// Whether new message ids are time-ordered (UUIDv7) rather than random (v4, the default: the worst case for the
    /// store's index of message ids, where each new id lands on a page of its own). Set once, from the command line.
    /// </summary>
    public static bool TimeOrderedIds { get; set; }

    /// <summary>
    /// Whether each referral of the reference scenario opens a case of its own (a new reference per call) rather than
    /// joining the one case <see cref="ScenarioCaseReference"/>: the cost of opening cases and recording their parties
    /// at intake. Set once, from the command line.
    /// </summary>
    public static bool UniqueCaseReferences { get; set; }

    private const string ScenarioCaseReference = "CN-FJ-2026-0042";

    private static long _casesOpened;

    /// <summary>A new message id of the configured form.</summary>
    public static string NewMessageId() => (TimeOrderedIds ? Guid.CreateVersion7() : Guid.NewGuid()).ToString();

    /// <summary>Development identity: the calling agency is named in this header (loopback only).</summary>
    public static Metadata CallerHeaders { get; } = HeadersFor(Sender);

    public static Metadata HeadersFor(string agency) => new() { { "x-liaison-agency", agency } };

    /// <summary>The reference scenario, to Fujian, from the liaison office in Moscow: in one case, or each in its own.</summary>
    public static SubmitReferralRequest Create() => Create(Sender, "CN/FJPSD", UniqueCaseReferences
        ? string.Create(CultureInfo.InvariantCulture, $"CN-FJ-BENCH-{Interlocked.Increment(ref _casesOpened):D12}")
        : ScenarioCaseReference);

    /// <summary>
    /// The same referral from <paramref name="sender"/> to <paramref name="recipient"/> in case <paramref name="caseReference"/>.
    /// The store delivers one open message per recipient and case at a time, so a throughput run gives each message its own case.
    /// </summary>
    public static SubmitReferralRequest Create(string sender, string recipient, string caseReference) => new()
    {
        Header = new Header
        {
            MessageId = NewMessageId(),
            CaseReference = caseReference,
            Sender = sender,
            Recipients = { recipient },
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Priority = Priority.ImmediateLifeAtRisk,
            Handling = new Handling { Code = HandlingCode.H0 },
            LegalBasis = new LegalBasis { Kind = LegalBasisKind.Treaty, Reference = "CN-RU-1995-MLA" },
            Language = "zh",
        },
        Referral = new CaseReferral
        {
            Summary = "Businessman kidnapped in Moscow for ransom; two accomplices returned to Fujian and are to be "
                + "arrested as soon as the Russian police have freed the victim.",
            Offence = new Offence { Description = "kidnapping for ransom", Character = OffenceCharacter.Ordinary },
            Subjects =
            {
                Accomplice("ZHANG Wei", "张伟"),
                Accomplice("LIN Hao", "林浩"),
            },
            RequestedActions = { RequestedAction.Arrest },
            Coordination = new Coordination { ReleaseParty = "RU/MVD", Condition = "victim freed" },
        },
    };

    private static Person Accomplice(string latin, string native) => new()
    {
        Name = new PersonName { Latin = latin, Native = native },
        Role = PersonRole.Accomplice,
        Nationalities = { "CN" },
    };
}
