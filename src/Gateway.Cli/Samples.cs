using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Cli;

/// <summary>
/// Sample messages for the situations of DESIGN.md section 1. Persons, references and numbers are invented;
/// they only have to pass the gateway's checks and read like real traffic.
/// </summary>
internal static class Samples
{
    /// <summary>Case reference of the sample kidnapping referral.</summary>
    public const string KidnappingCase = "CN-FJ-2026-0042";

    /// <summary>
    /// Scenario 1: the liaison office in Moscow refers two accomplices of a kidnapping to Fujian police, who must
    /// prepare now but not arrest until Russian police report the victim freed.
    /// </summary>
    public static SubmitReferralRequest KidnappingReferral(Envelope envelope) =>
        new()
        {
            Header = envelope.ToHeader(
                caseReference: KidnappingCase,
                priority: Priority.ImmediateLifeAtRisk,
                legalBasis: new LegalBasis { Kind = LegalBasisKind.Treaty, Reference = "CN-RU-POLICE-COOPERATION-TREATY" }),
            Referral = new CaseReferral
            {
                Summary = "A Chinese businessman was kidnapped in Moscow; the kidnappers demand a ransom of 15 million yuan. "
                    + "Russian police are preparing the rescue. Two accomplices who handle the ransom are in Fujian. "
                    + "Locate and prepare to arrest them; do not act before Russian police have freed the victim.",
                Offence = new Offence { Description = "kidnapping for ransom", Character = envelope.OffenceCharacter },
                Subjects =
                {
                    Accomplice("林志强", "LIN Zhiqiang", "1986-03-14", "Fuzhou, Gulou district"),
                    Accomplice("陈国华", "CHEN Guohua", "1990", "Xiamen, Siming district"),
                },
                RequestedActions = { RequestedAction.Arrest },
                Coordination = new Coordination
                {
                    ReleaseParty = "RU/MVD",
                    Condition = "victim freed by Russian police",
                },
                Evaluation = new EvaluationCode
                {
                    SourceReliability = SourceReliability.B,
                    InformationAccuracy = InformationAccuracy._2,
                },
            },
        };

    /// <summary>
    /// Scenario 2: the ministry asks several countries to locate, and where the law allows provisionally arrest,
    /// a fugitive sought for prosecution. Each country is named by code; the gateway resolves who receives it there.
    /// </summary>
    /// <summary>Scenario 1, the release: Russian police report the victim freed, and Fujian may arrest.</summary>
    public static ReleaseHoldRequest HoldRelease(Envelope envelope, string referralMessageId, string caseReference, string remarks) =>
        new()
        {
            Header = envelope.ToHeader(
                caseReference,
                Priority.ImmediateLifeAtRisk,
                new LegalBasis { Kind = LegalBasisKind.Treaty, Reference = "CN-RU-POLICE-COOPERATION-TREATY" }),
            Release = new HoldRelease { ReferralMessageId = referralMessageId, Remarks = remarks },
        };

    public static RequestLocationRequest FugitiveLocationRequest(Envelope envelope) =>
        new()
        {
            Header = envelope.ToHeader(
                caseReference: "CN-MPS-2026-0107",
                priority: Priority.Urgent,
                legalBasis: new LegalBasis { Kind = LegalBasisKind.InterpolChannel, Reference = "INTERPOL red notice channel" }),
            Request = new Interagency.V1.FugitiveLocationRequest
            {
                NoticeReference = "A-1234/5-2026",
                Subject = new Person
                {
                    Name = new PersonName { Native = "王建军", Latin = "WANG Jianjun" },
                    Aliases = { new PersonName { Latin = "Jimmy WANG" } },
                    DateOfBirth = "1978-11-02",
                    Sex = Sex.Male,
                    Nationalities = { "CN" },
                    Documents = { new IdentityDocument { Kind = DocumentKind.Passport, Number = "E12345678", IssuingCountry = "CN" } },
                    Languages = { "zh", "en" },
                    Role = PersonRole.Suspect,
                },
                Charges =
                {
                    new Charge
                    {
                        Offence = new Offence { Description = "contract fraud", Character = envelope.OffenceCharacter },
                        StatutoryProvision = "PRC Criminal Law art. 224",
                        // Ten years: well above the two-year threshold for prosecution.
                        MaximumPenaltyMonths = 120,
                    },
                },
                Warrant = new Warrant
                {
                    Basis = WarrantBasis.Prosecution,
                    Reference = "FZ-2026-AW-0311",
                    IssuingAuthority = "Fuzhou Municipal People's Procuratorate",
                    IssuedOn = "2026-01-15",
                },
                RequestedAction = LocationAction.LocateAndProvisionallyArrest,
                RepatriationSought = true,
                // Every target country must be covered by a recipient, so ask exactly the countries addressed.
                TargetCountries = { envelope.Recipients.Select(r => r.Split('/')[0]).Distinct() },
            },
        };

    private static Person Accomplice(string native, string latin, string dateOfBirth, string place) =>
        new()
        {
            Name = new PersonName { Native = native, Latin = latin },
            DateOfBirth = dateOfBirth,
            Sex = Sex.Male,
            Nationalities = { "CN" },
            Languages = { "zh" },
            Role = PersonRole.Accomplice,
            LastKnownLocation = new Location { Country = "CN", Place = place },
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
