using Gateway.Contracts.Validation;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;
using ProtoValidate;

namespace Gateway.Contracts.Tests.Validation;

/// <summary>
/// The compiled validator must say exactly what protovalidate says about the same message: same fields
/// at fault, for valid messages and for each kind of broken rule.
/// </summary>
public class SchemaValidatorTests
{
    private readonly SchemaValidator _validator = new(new Validator(new ValidatorOptions { DisableLazy = false }), TimeProvider.System);

    public static TheoryData<string, IMessage> Corpus()
    {
        var data = new TheoryData<string, IMessage>();
        void Referral(string name, Action<SubmitReferralRequest> change)
        {
            var r = Samples.Referral();
            change(r);
            data.Add(name, r);
        }

        void Location(string name, Action<RequestLocationRequest> change)
        {
            var r = Samples.LocationRequest();
            change(r);
            data.Add(name, r);
        }

        Referral("valid referral", _ => { });
        Referral("empty request", r => { r.Header = null; r.Referral = null; });
        Referral("empty header", r => r.Header = new Header());
        Referral("message id not a UUID", r => r.Header.MessageId = "42");
        Referral("message id with braces", r => r.Header.MessageId = "{" + Guid.NewGuid() + "}");
        Referral("message id upper case", r => r.Header.MessageId = Guid.NewGuid().ToString().ToUpperInvariant());
        Referral("created before 2000", r => r.Header.CreatedAt = Timestamp.FromDateTime(new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc)));
        Referral("created at 2000", r => r.Header.CreatedAt = Timestamp.FromDateTime(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Referral("sender lower case", r => r.Header.Sender = "cn/mps");
        Referral("duplicate recipients", r => r.Header.Recipients.Add("CN/FJPSD"));
        Referral("33 recipients", r => r.Header.Recipients.Add(Enumerable.Range(0, 32).Select(i => $"CN/X{i:00}")));
        Referral("recipient malformed", r => r.Header.Recipients[0] = "C/X");
        Referral("priority undefined", r => r.Header.Priority = (Priority)42);
        Referral("priority unspecified", r => r.Header.Priority = Priority.Unspecified);
        Referral("created far in the future", r => r.Header.CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow.AddHours(2)));
        Referral("created slightly in the future", r => r.Header.CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(2)));
        Referral("H3 without restriction", r => r.Header.Handling.Code = HandlingCode.H3);
        Referral("H3 with restriction", r => { r.Header.Handling.Code = HandlingCode.H3; r.Header.Handling.Restriction = "no use before trial"; });
        Referral("legal basis reference empty", r => r.Header.LegalBasis.Reference = string.Empty);
        Referral("language malformed", r => r.Header.Language = "Chinese");
        Referral("latin name 200 CJK", r => r.Referral.Subjects[0].Name.Native = new string('陈', 200));
        Referral("native name 201 CJK", r => r.Referral.Subjects[0].Name.Native = new string('陈', 201));
        Referral("native name 200 astral", r => r.Referral.Subjects[0].Name.Native = string.Concat(Enumerable.Repeat("𠀀", 200)));
        Referral("native name 201 astral", r => r.Referral.Subjects[0].Name.Native = string.Concat(Enumerable.Repeat("𠀀", 201)));
        Referral("latin name empty", r => r.Referral.Subjects[1].Name.Latin = string.Empty);
        Referral("subject name missing", r => r.Referral.Subjects[0].Name = null);
        Referral("alias without latin", r => r.Referral.Subjects[0].Aliases.Add(new PersonName { Native = "小明" }));
        Referral("date of birth partial", r => r.Referral.Subjects[0].DateOfBirth = "1988-03");
        Referral("date of birth bad month", r => r.Referral.Subjects[0].DateOfBirth = "1988-13");
        Referral("sex undefined", r => r.Referral.Subjects[0].Sex = (Sex)9);
        Referral("nationality lower case", r => r.Referral.Subjects[0].Nationalities[0] = "cn");
        Referral("nationality repeated", r => r.Referral.Subjects[0].Nationalities.Add("CN"));
        Referral("document number empty", r => r.Referral.Subjects[0].Documents[0].Number = string.Empty);
        Referral("document kind unspecified", r => r.Referral.Subjects[0].Documents[0].Kind = DocumentKind.Unspecified);
        Referral("latitude out of range", r => r.Referral.Subjects[0].LastKnownLocation.Latitude = 91);
        Referral("latitude NaN", r => r.Referral.Subjects[0].LastKnownLocation.Latitude = double.NaN);
        Referral("longitude at bound", r => r.Referral.Subjects[0].LastKnownLocation.Longitude = -180);
        Referral("no subjects", r => r.Referral.Subjects.Clear());
        Referral("no actions", r => r.Referral.RequestedActions.Clear());
        Referral("action repeated", r => r.Referral.RequestedActions.Add(RequestedAction.Arrest));
        Referral("action unspecified", r => r.Referral.RequestedActions.Add(RequestedAction.Unspecified));
        Referral("offence missing", r => r.Referral.Offence = null);
        Referral("release party malformed", r => r.Referral.Coordination.ReleaseParty = "Russian police");
        Referral("evaluation unspecified", r => r.Referral.Evaluation = new EvaluationCode());
        Referral("summary 4001", r => r.Referral.Summary = new string('x', 4001));
        Location("valid location request", _ => { });
        Location("notice reference malformed", r => r.Request.NoticeReference = "A/1234");
        Location("notice reference empty", r => r.Request.NoticeReference = string.Empty);
        Location("no charges", r => r.Request.Charges.Clear());
        Location("penalty over 1200", r => r.Request.Charges[0].MaximumPenaltyMonths = 1201);
        Location("warrant date malformed", r => r.Request.Warrant.IssuedOn = "01.02.2026");
        Location("warrant basis unspecified", r => r.Request.Warrant.Basis = WarrantBasis.Unspecified);
        Location("target country repeated", r => r.Request.TargetCountries.Add("RU"));
        Location("subject missing", r => r.Request.Subject = null);
        data.Add("update without kind", new PublishUpdatesRequest { Header = Samples.Header("AR/PFA", "CN/MPS"), Update = new CaseUpdate() });
        data.Add("valid status change", new PublishUpdatesRequest
        {
            Header = Samples.Header("AR/PFA", "CN/MPS"),
            Update = new CaseUpdate { StatusChange = new StatusChange { Status = CaseStatus.SuspectsIdentified } },
        });
        data.Add("report without time", new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD", "CN/MPS"),
            Report = new LocationReport { RequestMessageId = Guid.NewGuid().ToString(), Outcome = LocationOutcome.Located },
        });
        data.Add("report from the future", new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD", "CN/MPS"),
            Report = new LocationReport
            {
                RequestMessageId = Guid.NewGuid().ToString(),
                Outcome = LocationOutcome.Located,
                ObservedAt = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(1)),
            },
        });
        data.Add("withdrawal of a non-UUID", new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/MPS", "RU"),
            Withdrawal = new Withdrawal { RequestMessageId = "abc", Reason = WithdrawalReason.Returned },
        });
        data.Add("subscribe with bad case reference", new SubscribeRequest { CaseReferences = { "ok-but-lower" } });
        data.Add("refused without a refusal", new DeliverResult { DeliveryId = "1", Outcome = DeliveryOutcome.Refused });
        data.Add("a refusal without a reason", new DeliverResponse { Outcome = DeliveryOutcome.Refused, Refusal = new EndpointRefusal { Text = "no" } });
        data.Add("a question with an applied answer", new DeliverResponse { Outcome = DeliveryOutcome.Applied, ClarificationQuestion = "why?" });
        data.Add("asked without a question", new DeliverResult { DeliveryId = "1", Outcome = DeliveryOutcome.ClarificationRequested });
        data.Add("a valid refusal", new DeliverResult
        {
            DeliveryId = "1", Outcome = DeliveryOutcome.Refused, Refusal = new EndpointRefusal { Reason = EndpointRefusalReason.LegalGrounds },
        });
        data.Add("clarification answer without text", new AnswerClarificationRequest
        {
            Header = Samples.Header("CN/PLO-RU"),
            Answer = new ClarificationAnswer { MessageId = Guid.NewGuid().ToString(), Recipient = "CN/FJPSD" },
        });
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Compiled_rules_find_the_same_fields_as_protovalidate(string name, IMessage message)
    {
        var compiled = _validator.Validate(message).Select(v => v.Field).Order().ToArray();
        var reference = _validator.ValidateWithProtovalidate(message).Select(v => v.Field).Order().ToArray();

        Assert.True(reference.SequenceEqual(compiled), $"{name}: protovalidate [{string.Join(", ", reference)}], compiled [{string.Join(", ", compiled)}]");
    }

    [Fact]
    public void Every_request_of_the_interagency_services_runs_compiled()
    {
        var requests = new[]
        {
            ReferralService.Descriptor, FugitiveService.Descriptor, CaseUpdateService.Descriptor, AgencyEndpointService.Descriptor,
            ClarificationService.Descriptor,
        }.SelectMany(s => s.Methods).Select(m => m.InputType).Distinct().ToList();

        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.True(_validator.IsCompiled(r), $"{r.FullName} would fall back to protovalidate"));
    }

    /// <summary>The gateway checks every endpoint's answer to every delivery: interpreted, that would cost some 200 us each.</summary>
    [Fact]
    public void Every_endpoint_answer_runs_compiled()
    {
        Assert.True(_validator.IsCompiled(DeliverResponse.Descriptor));
        Assert.True(_validator.IsCompiled(DeliverResult.Descriptor));
    }

    /// <summary>
    /// protovalidate's patterns are RE2, where <c>$</c> matches only at the very end. protovalidate-net hands them
    /// to .NET's regex, where <c>$</c> also matches before a final newline, and so lets "CN/MPS\n" through.
    /// The compiled rules keep RE2's meaning: the one place where they are deliberately stricter.
    /// </summary>
    [Fact]
    public void Patterns_keep_RE2_meaning_of_end_of_text()
    {
        var request = Samples.Referral();
        request.Header.Sender = "CN/PLO-RU\n";

        Assert.Equal(["header.sender"], _validator.Validate(request).Select(v => v.Field));
        Assert.Empty(_validator.ValidateWithProtovalidate(request));
    }

    [Fact]
    public void A_valid_message_has_no_violations()
    {
        Assert.Empty(_validator.Validate(Samples.Referral()));
        Assert.Empty(_validator.Validate(Samples.LocationRequest()));
    }

    [Fact]
    public void Descriptions_say_what_is_expected_without_the_value()
    {
        var request = Samples.Referral();
        request.Referral.Subjects[0].Name.Latin = new string('y', 201);

        var violation = Assert.Single(_validator.Validate(request));

        Assert.Equal("referral.subjects[0].name.latin", violation.Field);
        Assert.Equal("must be at most 200 characters", violation.Description);
    }
}
