using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Tests.Shared;

/// <summary>
/// Valid messages from the scenarios of DESIGN.md section 1, the one sample set: each test breaks one thing, and
/// gatewayctl (which links this file) sends the same bodies in its demo. Persons, references and numbers are invented.
/// </summary>
public static class Samples
{
    /// <summary>Case reference of the kidnapping referral.</summary>
    public const string KidnappingCase = "CN-FJ-2026-0042";

    public const string SubjectLatinName = "CHEN Xiaoming";
    public const string SubjectNativeName = "陈小明";
    public const string PassportNumber = "E12345678";

    public static Header Header(string sender, params string[] recipients) => new()
    {
        MessageId = Guid.NewGuid().ToString(),
        CaseReference = KidnappingCase,
        Sender = sender,
        Recipients = { recipients },
        CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow),
        Priority = Priority.ImmediateLifeAtRisk,
        Handling = new Handling { Code = HandlingCode.H0 },
        LegalBasis = new LegalBasis { Kind = LegalBasisKind.Treaty, Reference = "CN-RU-1995-MLA" },
        Language = "zh",
    };

    public static Person Accomplice(string latin = SubjectLatinName, string native = SubjectNativeName) => new()
    {
        Name = new PersonName { Latin = latin, Native = native },
        DateOfBirth = "1988-03-14",
        Sex = Sex.Male,
        Nationalities = { "CN" },
        Documents = { new IdentityDocument { Kind = DocumentKind.Passport, Number = PassportNumber, IssuingCountry = "CN" } },
        Role = PersonRole.Accomplice,
        LastKnownLocation = new Location { Country = "CN", Place = "Fuzhou" },
    };

    /// <summary>The kidnapping referral: the liaison office in Moscow refers two accomplices to Fujian, held until Russia releases.</summary>
    public static SubmitReferralRequest Referral(string sender = "CN/PLO-RU", string recipient = "CN/FJPSD") => new()
    {
        Header = Header(sender, recipient),
        Referral = KidnappingReferral(),
    };

    /// <summary>The body of the kidnapping referral: prepare to arrest two accomplices, not before Russia releases.</summary>
    public static CaseReferral KidnappingReferral(OffenceCharacter character = OffenceCharacter.Ordinary) => new()
    {
        Summary = "Businessman kidnapped in Moscow, ransom demand 15 million yuan; two accomplices located in Fujian.",
        Offence = new Offence { Description = "kidnapping for ransom", Character = character },
        Subjects = { Accomplice(), Accomplice("LIN Hao", "林浩") },
        RequestedActions = { RequestedAction.Arrest },
        Coordination = new Coordination { ReleaseParty = "RU/MVD", Condition = "victim freed by Russian police" },
        Evaluation = new EvaluationCode { SourceReliability = SourceReliability.B, InformationAccuracy = InformationAccuracy._2 },
    };

    /// <summary>A red-notice style request from the ministry to three countries, one reached through a liaison office.</summary>
    public static RequestLocationRequest LocationRequest(params string[] countries)
    {
        countries = countries.Length == 0 ? ["RU", "TH", "US"] : countries;
        return new RequestLocationRequest { Header = Header("CN/MPS", countries), Request = FugitiveLocation(countries) };
    }

    /// <summary>
    /// <paramref name="sender"/>'s report on <paramref name="request"/>, in its case, observed now: with the fugitive
    /// found in Moscow unless the outcome is <see cref="LocationOutcome.NotFound"/>.
    /// </summary>
    public static ReportLocationRequest LocationReport(RequestLocationRequest request, string sender, LocationOutcome outcome)
    {
        var report = new ReportLocationRequest
        {
            Header = Header(sender),
            Report = new LocationReport
            {
                RequestMessageId = request.Header.MessageId,
                Outcome = outcome,
                ObservedAt = Timestamp.FromDateTime(DateTime.UtcNow),
                Location = outcome == LocationOutcome.NotFound ? null : new Location { Country = "RU", Place = "Moscow" },
            },
        };
        report.Header.CaseReference = request.Header.CaseReference;
        return report;
    }

    /// <summary>The body of the red-notice style request: locate and provisionally arrest in <paramref name="countries"/>.</summary>
    public static FugitiveLocationRequest FugitiveLocation(IEnumerable<string> countries, OffenceCharacter character = OffenceCharacter.Ordinary)
    {
        var fugitive = Accomplice();
        fugitive.Role = PersonRole.Suspect;
        return new FugitiveLocationRequest
        {
            NoticeReference = "A-1234/5-2026",
            Subject = fugitive,
            Charges =
            {
                new Charge
                {
                    Offence = new Offence { Description = "fraud", Character = character },
                    StatutoryProvision = "PRC Criminal Law art. 266",
                    MaximumPenaltyMonths = 120,
                },
            },
            Warrant = new Warrant
            {
                Basis = WarrantBasis.Prosecution,
                Reference = "FZ-2026-117",
                IssuingAuthority = "Fuzhou Public Security Bureau",
                IssuedOn = "2026-02-01",
            },
            RequestedAction = LocationAction.LocateAndProvisionallyArrest,
            RepatriationSought = true,
            TargetCountries = { countries },
        };
    }

    /// <summary>
    /// A foreign partner's referral that opens <paramref name="caseReference"/> with a domestic agency: no coordination
    /// hold, handling H2 (the most a foreign partner's route allows). Its parties may then publish updates on the case.
    /// </summary>
    public static SubmitReferralRequest CaseOpening(string sender, string recipient, string caseReference)
    {
        var referral = Referral(sender, recipient);
        referral.Referral.Coordination = null;
        referral.Header.CaseReference = caseReference;
        referral.Header.Handling.Code = HandlingCode.H2;
        return referral;
    }

    /// <summary>A case update on <paramref name="caseReference"/> from <paramref name="sender"/>: a status change, routed by the gateway.</summary>
    public static PublishUpdatesRequest StatusUpdate(string sender, string caseReference, CaseStatus status = CaseStatus.OperationInProgress)
    {
        var header = Header(sender);
        header.CaseReference = caseReference;
        return new PublishUpdatesRequest
        {
            Header = header,
            Update = new CaseUpdate { StatusChange = new StatusChange { Status = status, Remarks = "search of the warehouse in progress" } },
        };
    }
}
