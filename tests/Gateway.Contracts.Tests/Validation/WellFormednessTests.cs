using Gateway.Contracts.Validation;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;
using ProtoValidate;

namespace Gateway.Contracts.Tests.Validation;

/// <summary>
/// Before any rule: fields the contract does not define are refused wherever they sit, and no timestamp outside
/// google.protobuf.Timestamp's range reaches a rule (a rule or intake converting it would throw).
/// </summary>
public class WellFormednessTests
{
    private readonly SchemaValidator _validator = new(new Validator(new ValidatorOptions { DisableLazy = false }), TimeProvider.System);

    [Fact]
    public void An_unknown_field_inside_the_header_is_named_by_the_header_and_its_number()
    {
        var request = Samples.Referral();
        request.Header = WireEdits.WithExtraField(request.Header, 99, new byte[900 * 1024]);

        var violation = Assert.Single(_validator.Validate(request));

        Assert.Equal("header", violation.Field);
        Assert.Equal(SchemaValidator.UnknownFieldRule, violation.RuleId);
        Assert.Contains("field number 99", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_are_found_at_the_top_and_deep_in_repeated_messages()
    {
        var request = Samples.Referral();
        request.Referral.Subjects[1].Documents[0] = WireEdits.WithExtraField(request.Referral.Subjects[1].Documents[0], 7, [1, 2, 3]);
        request = WireEdits.WithExtraField(request, 3, [42]);

        var violations = _validator.Validate(request);

        Assert.Equal(["", "referral.subjects[1].documents[0]"], violations.Select(v => v.Field).Order());
        Assert.All(violations, v => Assert.Equal(SchemaValidator.UnknownFieldRule, v.RuleId));
    }

    [Fact]
    public void A_known_field_number_with_another_wire_type_is_refused_like_an_unknown_field()
    {
        // Field 2 of Header is case_reference, a string: sent as a varint, the parser keeps it as an unknown field.
        var header = Samples.Header("CN/MPS", "RU");
        var bytes = header.ToByteArray().Concat(new byte[] { (2 << 3) | 0, 5 }).ToArray();
        var request = Samples.Referral();
        request.Header = Header.Parser.ParseFrom(bytes);

        var violation = Assert.Single(_validator.Validate(request));

        Assert.Equal("header", violation.Field);
        Assert.Contains("field number 2", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_description_of_an_unknown_field_never_holds_its_bytes()
    {
        var request = Samples.Referral();
        request.Header = WireEdits.WithExtraField(request.Header, 4242, "SECRET-NAME"u8.ToArray());

        var violation = Assert.Single(_validator.Validate(request));

        Assert.DoesNotContain("SECRET", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_with_many_unknown_fields_gets_a_bounded_refusal()
    {
        var request = Samples.Referral();
        var header = request.Header;
        for (var number = 100; number < 1100; number++)
        {
            header = WireEdits.WithExtraField(header, number, [1]);
        }

        request.Header = header;

        Assert.InRange(_validator.Validate(request).Count, 1, 16);
    }

    [Fact]
    public void Every_request_type_refuses_unknown_fields()
    {
        var requests = new[]
        {
            ReferralService.Descriptor, FugitiveService.Descriptor, CaseUpdateService.Descriptor, AgencyEndpointService.Descriptor,
            OperationsService.Descriptor,
        }.SelectMany(s => s.Methods).Select(m => m.InputType).Distinct().ToList();

        Assert.All(requests, type =>
        {
            var message = WireEdits.WithExtraField(type.Parser.ParseFrom([]), 1000, [1]);
            Assert.Contains(_validator.Validate(message), v => v.RuleId == SchemaValidator.UnknownFieldRule);
        });
    }

    /// <summary>After 9999, before year 1, negative nanos, a whole second of nanos, the extremes of both fields.</summary>
    public static TheoryData<long, int> InvalidTimestamps() => new()
    {
        { 253_402_300_800, 0 },
        { -62_135_596_801, 0 },
        { 1_800_000_000, -1 },
        { 1_800_000_000, 1_000_000_000 },
        { long.MaxValue, 0 },
        { long.MinValue, int.MinValue },
    };

    [Theory]
    [MemberData(nameof(InvalidTimestamps))]
    public void Out_of_range_timestamps_are_refused_on_their_field_in_every_request(long seconds, int nanos)
    {
        var invalid = new Timestamp { Seconds = seconds, Nanos = nanos };
        var referral = Samples.Referral();
        referral.Header.CreatedAt = invalid;
        referral.Header.ReplyBy = invalid.Clone();
        var report = new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD"),
            Report = new LocationReport { RequestMessageId = Guid.NewGuid().ToString(), Outcome = LocationOutcome.Located, ObservedAt = invalid.Clone() },
        };

        Assert.Equal(["header.created_at", "header.reply_by"], Fields(_validator.Validate(referral)));
        Assert.Equal(["report.observed_at"], Fields(_validator.Validate(report)));
        Assert.All(_validator.Validate(referral), v => Assert.Equal("timestamp.valid", v.RuleId));
    }

    [Fact]
    public void The_edges_of_the_timestamp_range_are_valid()
    {
        var report = new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD"),
            Report = new LocationReport
            {
                RequestMessageId = Guid.NewGuid().ToString(),
                Outcome = LocationOutcome.Located,
                ObservedAt = new Timestamp { Seconds = -62_135_596_800, Nanos = 0 },
            },
        };
        report.Header.ReplyBy = new Timestamp { Seconds = 253_402_300_799, Nanos = 999_999_999 };

        Assert.Empty(_validator.Validate(report));
    }

    [Fact]
    public void A_message_created_before_2000_is_refused_on_created_at()
    {
        var request = Samples.Referral();
        request.Header.CreatedAt = Timestamp.FromDateTime(new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc));

        var violation = Assert.Single(_validator.Validate(request));

        Assert.Equal("header.created_at", violation.Field);
        Assert.Equal("must be at or after 2000-01-01T00:00:00Z", violation.Description);
        Assert.Equal(["header.created_at"], Fields(_validator.ValidateWithProtovalidate(request)));
    }

    [Fact]
    public void Message_ids_must_be_canonical_lower_case_uuids_wherever_they_appear()
    {
        var id = Guid.NewGuid().ToString().ToUpperInvariant();
        var referral = Samples.Referral();
        referral.Header.MessageId = id;
        var release = new ReleaseHoldRequest { Header = Samples.Header("RU/MVD"), Release = new HoldRelease { ReferralMessageId = id } };
        var withdrawal = new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/MPS"),
            Withdrawal = new Withdrawal { RequestMessageId = id, Reason = WithdrawalReason.Returned },
        };
        var review = new ReviewHeldMessageRequest { MessageId = id, Decision = ReviewDecision.Release, Reason = "checked" };
        var deadLetters = new ListDeadLettersRequest { Filter = new DeadLetterFilter { MessageId = id } };

        Assert.Equal(["header.message_id"], Fields(_validator.Validate(referral)));
        Assert.Equal(["release.referral_message_id"], Fields(_validator.Validate(release)));
        Assert.Equal(["withdrawal.request_message_id"], Fields(_validator.Validate(withdrawal)));
        Assert.Equal(["message_id"], Fields(_validator.Validate(review)));
        Assert.Equal(["filter.message_id"], Fields(_validator.Validate(deadLetters)));
    }

    private static string[] Fields(IReadOnlyList<SchemaViolation> violations) => violations.Select(v => v.Field).Order().ToArray();
}
