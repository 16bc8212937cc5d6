using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Operations;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// What an outside probe got through (issue 15): fields the contract does not define, timestamps outside the range of a
/// date, and a message id sent again in upper case. Each is refused INVALID_ARGUMENT on its field, audited, stores nothing.
/// </summary>
public class HostileFieldTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly ReferralService.ReferralServiceClient _referrals = new(server.Channel);

    private Task<SubmitReferralResponse> Submit(SubmitReferralRequest request) =>
        _referrals.SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender)).ResponseAsync;

    private async Task<List<AuditRecord>> AuditOf(string messageId) =>
        await server.Store.ReadAuditAsync(default).Where(a => a.MessageId == messageId).ToListAsync();

    [Fact]
    public async Task A_900_KB_unknown_field_inside_the_header_is_refused_named_by_number_audited_and_not_stored()
    {
        var request = Samples.Referral();
        request.Header = WireEdits.WithExtraField(request.Header, 99, new byte[900 * 1024]);

        var status = await StatusAssert.Refused(() => Submit(request), StatusCode.InvalidArgument, "header");

        Assert.Equal("UNKNOWN_FIELD", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("field number 99", Assert.Single(status.GetDetail<BadRequest>().FieldViolations).Description, StringComparison.Ordinal);
        Assert.Null(await server.Store.FindMessageAsync(request.Header.MessageId, default));
        var audit = Assert.Single(await AuditOf(request.Header.MessageId));
        Assert.Equal(AuditKinds.IntakeRefused, audit.Kind);
        Assert.Equal("unknown_field", audit.Details.Reason);
    }

    [Fact]
    public async Task An_update_with_an_unknown_field_gets_a_refusal_acknowledgement_and_the_stream_goes_on()
    {
        var opening = Samples.CaseOpening("AR/PFA", "CN/MPS", "AR-PFA-2026-1501");
        await Submit(opening);
        var smuggled = Samples.StatusUpdate("AR/PFA", opening.Header.CaseReference);
        smuggled.Update = WireEdits.WithExtraField(smuggled.Update, 77, "payload"u8.ToArray());
        var clean = Samples.StatusUpdate("AR/PFA", opening.Header.CaseReference);

        using var call = new CaseUpdateService.CaseUpdateServiceClient(server.Channel).PublishUpdates(GatewayServer.As("AR/PFA"));
        await call.RequestStream.WriteAsync(smuggled);
        await call.RequestStream.WriteAsync(clean);
        await call.RequestStream.CompleteAsync();
        var acks = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal([UpdateOutcome.Refused, UpdateOutcome.Accepted], acks.Select(a => a.Outcome));
        Assert.Equal("update", Assert.Single(acks[0].Refusal.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Equal("UNKNOWN_FIELD", acks[0].Refusal.GetDetail<ErrorInfo>()?.Reason);
        Assert.Null(await server.Store.FindMessageAsync(smuggled.Header.MessageId, default));
    }

    [Fact]
    public async Task A_subscribe_request_and_an_operator_request_with_unknown_fields_are_refused()
    {
        var subscribe = WireEdits.WithExtraField(new SubscribeRequest { CaseReferences = { "AR-PFA-2026-1502" } }, 9, [1]);
        // Accepted, a subscription would wait for updates: the deadline turns that into a failure rather than a hang.
        using var subscription = new CaseUpdateService.CaseUpdateServiceClient(server.Channel)
            .Subscribe(subscribe, GatewayServer.As("AR/PFA"), DateTime.UtcNow.AddSeconds(30));
        var list = WireEdits.WithExtraField(new ListHeldMessagesRequest { PageSize = 10 }, 9, [1]);
        var operations = new OperationsService.OperationsServiceClient(server.Channel);

        await StatusAssert.Refused(() => subscription.ResponseStream.MoveNext(), StatusCode.InvalidArgument, string.Empty);
        await StatusAssert.Refused(
            () => operations.ListHeldMessagesAsync(list, OperatorFixtures.AsOperator()).ResponseAsync, StatusCode.InvalidArgument, string.Empty);
    }

    public static TheoryData<string, long, int> OutOfRange() => new()
    {
        { "header.created_at", 253_402_300_800, 0 },
        { "header.created_at", -62_135_596_801, 0 },
        { "header.created_at", 1_800_000_000, -1 },
        { "header.reply_by", 253_402_300_800, 0 },
        { "header.reply_by", 1_800_000_000, 1_000_000_000 },
        { "report.observed_at", 253_402_300_800, 0 },
        { "report.observed_at", long.MinValue, 0 },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task An_out_of_range_timestamp_is_invalid_argument_on_its_field_not_unknown(string field, long seconds, int nanos)
    {
        var invalid = new Timestamp { Seconds = seconds, Nanos = nanos };
        var report = new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD"),
            Report = new LocationReport
            {
                RequestMessageId = Guid.NewGuid().ToString(),
                Outcome = LocationOutcome.Located,
                ObservedAt = Timestamp.FromDateTime(DateTime.UtcNow),
            },
        };
        switch (field)
        {
            case "header.created_at":
                report.Header.CreatedAt = invalid;
                break;
            case "header.reply_by":
                report.Header.ReplyBy = invalid;
                break;
            default:
                report.Report.ObservedAt = invalid;
                break;
        }

        var status = await StatusAssert.Refused(
            () => new FugitiveService.FugitiveServiceClient(server.Channel).ReportLocationAsync(report, GatewayServer.As("RU/MVD")).ResponseAsync,
            StatusCode.InvalidArgument,
            field);

        Assert.Equal("SCHEMA", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Single(await AuditOf(report.Header.MessageId));
    }

    [Fact]
    public async Task A_message_created_before_2000_is_refused_on_created_at()
    {
        var request = Samples.Referral();
        request.Header.CreatedAt = Timestamp.FromDateTime(new DateTime(1999, 12, 31, 0, 0, 0, DateTimeKind.Utc));

        await StatusAssert.Refused(() => Submit(request), StatusCode.InvalidArgument, "header.created_at");
    }

    [Fact]
    public async Task The_upper_case_form_of_an_accepted_message_id_is_refused_and_leaves_one_message()
    {
        var request = Samples.Referral();
        var receipt = (await Submit(request)).Receipt;
        var upper = request.Clone();
        upper.Header.MessageId = request.Header.MessageId.ToUpperInvariant();

        var status = await StatusAssert.Refused(() => Submit(upper), StatusCode.InvalidArgument, "header.message_id");

        Assert.Equal("SCHEMA", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal((long)receipt.AuditSequence, (await server.Store.FindMessageAsync(request.Header.MessageId, default))!.Receipt.AuditSequence);
        Assert.Null(await server.Store.FindMessageAsync(upper.Header.MessageId, default));
        Assert.Single(await server.Store.GetDeliveriesAsync(request.Header.MessageId, default));
    }

    [Fact]
    public async Task A_reply_naming_its_request_in_upper_case_is_refused_on_that_field()
    {
        var request = Samples.LocationRequest();
        await new FugitiveService.FugitiveServiceClient(server.Channel).RequestLocationAsync(request, GatewayServer.As("CN/MPS"));
        var withdrawal = new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/MPS"),
            Withdrawal = new Withdrawal { RequestMessageId = request.Header.MessageId.ToUpperInvariant(), Reason = WithdrawalReason.Returned },
        };

        await StatusAssert.Refused(
            () => new FugitiveService.FugitiveServiceClient(server.Channel).WithdrawRequestAsync(withdrawal, GatewayServer.As("CN/MPS")).ResponseAsync,
            StatusCode.InvalidArgument,
            "withdrawal.request_message_id");
        Assert.Null(await server.Store.FindMessageAsync(withdrawal.Header.MessageId, default));
    }
}
