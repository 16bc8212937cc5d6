using Gateway.Tests.Shared;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Cli;

/// <summary>
/// The requests gatewayctl sends for the situations of DESIGN.md section 1: the envelope the command line decides,
/// around the bodies of the one sample set the tests use (tests/Shared/Samples.cs, linked into this project).
/// </summary>
internal static class SampleRequests
{
    /// <summary>Case reference of the sample location request (scenario 2).</summary>
    public const string LocationRequestCase = "CN-MPS-2026-0107";

    private static readonly LegalBasis Treaty = new() { Kind = LegalBasisKind.Treaty, Reference = "CN-RU-POLICE-COOPERATION-TREATY" };
    private static readonly LegalBasis InterpolChannel = new() { Kind = LegalBasisKind.InterpolChannel, Reference = "INTERPOL red notice channel" };

    /// <summary>
    /// Scenario 1: the liaison office in Moscow refers two accomplices of a kidnapping to Fujian police, who must
    /// prepare now but not arrest until Russian police report the victim freed.
    /// </summary>
    public static SubmitReferralRequest KidnappingReferral(Envelope envelope) =>
        new()
        {
            Header = envelope.ToHeader(Samples.KidnappingCase, Priority.ImmediateLifeAtRisk, Treaty.Clone()),
            Referral = Samples.KidnappingReferral(envelope.OffenceCharacter),
        };

    /// <summary>Scenario 1, the release: Russian police report the victim freed, and Fujian may arrest.</summary>
    public static ReleaseHoldRequest HoldRelease(Envelope envelope, string referralMessageId, string caseReference, string remarks) =>
        new()
        {
            Header = envelope.ToHeader(caseReference, Priority.ImmediateLifeAtRisk, Treaty.Clone()),
            Release = new HoldRelease { ReferralMessageId = referralMessageId, Remarks = remarks },
        };

    /// <summary>
    /// Scenario 2: the ministry asks several countries to locate, and where the law allows provisionally arrest,
    /// a fugitive sought for prosecution. Each country is named by code; the gateway resolves who receives it there.
    /// </summary>
    public static RequestLocationRequest FugitiveLocationRequest(Envelope envelope) =>
        new()
        {
            Header = envelope.ToHeader(
                caseReference: LocationRequestCase,
                priority: Priority.Urgent,
                legalBasis: InterpolChannel.Clone()),

            // Every target country must be covered by a recipient, so ask exactly the countries addressed.
            Request = Samples.FugitiveLocation(envelope.Recipients.Select(r => r.Split('/')[0]).Distinct(), envelope.OffenceCharacter),
        };

    /// <summary>Scenario 1, called off: the referral's sender cancels the coordination hold, and the arrest never comes.</summary>
    public static CancelHoldRequest HoldCancellation(Envelope envelope, string referralMessageId, string caseReference, string remarks) =>
        new()
        {
            Header = envelope.ToHeader(caseReference, Priority.ImmediateLifeAtRisk, Treaty.Clone()),
            Cancellation = new HoldCancellation { ReferralMessageId = referralMessageId, Remarks = remarks },
        };

    /// <summary>Scenario 2, a report back: a country that was asked says what it found; the gateway routes it to the requester.</summary>
    public static ReportLocationRequest LocationReport(Envelope envelope, string caseReference, LocationReport report) =>
        new()
        {
            Header = envelope.ToHeader(caseReference, Priority.Urgent, InterpolChannel.Clone()),
            Report = report,
        };

    /// <summary>Scenario 2, the end: the requester withdraws its request everywhere, e.g. once the fugitive is returned.</summary>
    public static WithdrawRequestRequest Withdrawal(Envelope envelope, string caseReference, Withdrawal withdrawal) =>
        new()
        {
            Header = envelope.ToHeader(caseReference, Priority.Urgent, InterpolChannel.Clone()),
            Withdrawal = withdrawal,
        };

    /// <summary>Scenario 3: a partner publishes a status change of a case it is a party of.</summary>
    public static PublishUpdatesRequest StatusChange(Envelope envelope, string caseReference, CaseStatus status, string remarks) =>
        new()
        {
            Header = envelope.ToHeader(caseReference, Priority.Routine, Treaty.Clone()),
            Update = new CaseUpdate { StatusChange = new StatusChange { Status = status, Remarks = remarks } },
        };

    /// <summary>The sender's answer to the question a recipient asked about one of its messages.</summary>
    public static AnswerClarificationRequest ClarificationAnswer(Envelope envelope, string about, string recipient, string caseReference, string answer) =>
        new()
        {
            Header = envelope.ToHeader(caseReference, Priority.ImmediateLifeAtRisk, Treaty.Clone()),
            Answer = new ClarificationAnswer { MessageId = about, Recipient = recipient, Answer = answer },
        };
}

/// <summary>What the command line decides about a sample message: who calls, the envelope, and the offence character.</summary>
internal sealed record Envelope(
    string MessageId,
    string Caller,
    string Sender,
    IReadOnlyList<string> Recipients,
    DateTimeOffset CreatedAt,
    OffenceCharacter OffenceCharacter)
{
    public Header ToHeader(string caseReference, Priority priority, LegalBasis legalBasis) =>
        new()
        {
            MessageId = MessageId,
            CaseReference = caseReference,
            Sender = Sender,
            Recipients = { Recipients },
            CreatedAt = Timestamp.FromDateTimeOffset(CreatedAt),
            Priority = priority,
            Handling = new Handling { Code = HandlingCode.H0 },
            LegalBasis = legalBasis,
            Language = "zh",
        };
}
