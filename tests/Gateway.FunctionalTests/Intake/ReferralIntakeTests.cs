using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Receipts;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Intake;

/// <summary>Referral intake through a real client and a real server on 127.0.0.1.</summary>
public class ReferralIntakeTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly ReferralService.ReferralServiceClient _client = new(server.Channel);

    private Task<SubmitReferralResponse> Submit(SubmitReferralRequest request, string? caller = null) =>
        _client.SubmitReferralAsync(request, caller is null && request.Header is null ? null : GatewayServer.As(caller ?? request.Header.Sender)).ResponseAsync;

    [Fact]
    public async Task A_valid_referral_is_accepted_with_a_receipt_after_commit()
    {
        var request = Samples.Referral();

        var receipt = (await Submit(request)).Receipt;

        Assert.Equal(request.Header.MessageId, receipt.MessageId);
        Assert.Equal(["CN/FJPSD"], receipt.ResolvedRecipients);
        Assert.Equal(Interagency.V1.MessageState.Accepted, receipt.State);
        var stored = await server.Store.FindMessageAsync(receipt.MessageId, default);
        Assert.Equal((long)receipt.AuditSequence, stored!.Receipt.AuditSequence);
        Assert.Equal(request.ToByteArray(), stored.Payload);
        var delivery = Assert.Single(await server.Store.GetDeliveriesAsync(receipt.MessageId, default));
        Assert.Equal(DeliveryState.Pending, delivery.State);
        var hold = await server.Store.FindHoldAsync(receipt.MessageId, default);
        Assert.Equal(HoldState.Open, hold!.State);
        Assert.Equal(request.Referral.Coordination.ReleaseParty, hold.ReleaseParty);
    }

    [Fact]
    public async Task A_referral_without_coordination_is_pending_delivery()
    {
        var request = Samples.Referral();
        request.Referral.Coordination = null;

        var receipt = (await Submit(request)).Receipt;

        Assert.Equal(DeliveryState.Pending, Assert.Single(await server.Store.GetDeliveriesAsync(receipt.MessageId, default)).State);
    }

    public static TheoryData<string, Action<SubmitReferralRequest>, StatusCode, string> Refusals => new()
    {
        // Schema rules (protovalidate annotations in the protos).
        { "message id not a UUID", r => r.Header.MessageId = "42", StatusCode.InvalidArgument, "header.message_id" },
        { "sender not COUNTRY/CODE", r => r.Header.Sender = "fujian", StatusCode.InvalidArgument, "header.sender" },
        { "no recipients", r => r.Header.Recipients.Clear(), StatusCode.InvalidArgument, "header.recipients" },
        { "recipient malformed", r => r.Header.Recipients[0] = "cn-fjpsd", StatusCode.InvalidArgument, "header.recipients[0]" },
        { "priority unspecified", r => r.Header.Priority = Priority.Unspecified, StatusCode.InvalidArgument, "header.priority" },
        { "priority undefined", r => r.Header.Priority = (Priority)99, StatusCode.InvalidArgument, "header.priority" },
        { "created in the future", r => r.Header.CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow.AddHours(1)), StatusCode.InvalidArgument, "header.created_at" },
        { "created_at missing", r => r.Header.CreatedAt = null, StatusCode.InvalidArgument, "header.created_at" },
        { "H3 without restriction", r => r.Header.Handling.Code = HandlingCode.H3, StatusCode.InvalidArgument, "header.handling" },
        { "case reference malformed", r => r.Header.CaseReference = "x", StatusCode.InvalidArgument, "header.case_reference" },
        { "subject without latin name", r => r.Referral.Subjects[1].Name.Latin = string.Empty, StatusCode.InvalidArgument, "referral.subjects[1].name.latin" },
        { "subject role unspecified", r => r.Referral.Subjects[0].Role = PersonRole.Unspecified, StatusCode.InvalidArgument, "referral.subjects[0].role" },
        { "no subjects", r => r.Referral.Subjects.Clear(), StatusCode.InvalidArgument, "referral.subjects" },
        { "repeated action", r => r.Referral.RequestedActions.Add(RequestedAction.Arrest), StatusCode.InvalidArgument, "referral.requested_actions" },
        { "summary too long", r => r.Referral.Summary = new string('x', 4001), StatusCode.InvalidArgument, "referral.summary" },
        { "referral body missing", r => r.Referral = null, StatusCode.InvalidArgument, "referral" },
        { "date of birth malformed", r => r.Referral.Subjects[0].DateOfBirth = "14/03/1988", StatusCode.InvalidArgument, "referral.subjects[0].date_of_birth" },
        // Business rules (Core).
        { "sender is not the caller", r => r.Header.Sender = "CN/MPS", StatusCode.PermissionDenied, "header.sender" },
        { "unknown recipient agency", r => r.Header.Recipients[0] = "CN/XXPSD", StatusCode.NotFound, "header.recipients[0]" },
        { "unassigned country", r => r.Header.Recipients[0] = "ZZ", StatusCode.NotFound, "header.recipients[0]" },
        { "country with no channel for referrals", r => r.Header.Recipients[0] = "DE", StatusCode.NotFound, "header.recipients[0]" },
        { "recipient is the sender", r => r.Header.Recipients[0] = "CN/PLO-RU", StatusCode.InvalidArgument, "header.recipients[0]" },
        { "reply-by in the past", r => r.Header.ReplyBy = Timestamp.FromDateTime(DateTime.UtcNow.AddHours(-1)), StatusCode.InvalidArgument, "header.reply_by" },
        { "too many recipients", r => r.Header.Recipients.Add(Enumerable.Range(0, 16).Select(i => $"CN/X{i:00}")), StatusCode.InvalidArgument, "header.recipients" },
        { "too many subjects", r => r.Referral.Subjects.Add(Enumerable.Range(0, 19).Select(_ => Samples.Accomplice())), StatusCode.InvalidArgument, "referral.subjects" },
        { "release party unknown", r => r.Referral.Coordination.ReleaseParty = "RU/FSB", StatusCode.InvalidArgument, "referral.coordination.release_party" },
        { "nationality unassigned", r => r.Referral.Subjects[0].Nationalities[0] = "ZZ", StatusCode.InvalidArgument, "referral.subjects[0].nationalities[0]" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_broken_rule_is_refused_with_its_field_audited_and_nothing_stored(
        string rule, Action<SubmitReferralRequest> breakRule, StatusCode code, string field)
    {
        var request = Samples.Referral();
        var caller = request.Header.Sender;
        breakRule(request);

        var status = await StatusAssert.Refused(() => Submit(request, caller), code, field);

        Assert.False(string.IsNullOrWhiteSpace(status.Message), rule);
        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Contains(audit, a => a.Kind == AuditKinds.IntakeRefused && a.Details.Fields!.Contains(field));
        if (request.Header is { MessageId: var id } && Guid.TryParse(id, out _))
        {
            Assert.Null(await server.Store.FindMessageAsync(id, default));
            Assert.Empty(await server.Store.GetDeliveriesAsync(id, default));
        }
    }

    [Fact]
    public async Task Refusals_do_not_echo_personal_data()
    {
        var request = Samples.Referral();
        request.Referral.Subjects[0].Documents[0].IssuingCountry = "XX";
        request.Referral.Subjects[0].Name.Latin = new string('x', 201) + Samples.SubjectLatinName;

        var status = await StatusAssert.Refused(() => Submit(request), StatusCode.InvalidArgument, "referral.subjects[0].name.latin");

        var everything = status.ToString();
        Assert.DoesNotContain(Samples.SubjectLatinName, everything);
        Assert.DoesNotContain(Samples.SubjectNativeName, everything);
        Assert.DoesNotContain(Samples.PassportNumber, everything);
    }

    [Fact]
    public async Task A_call_without_a_known_agency_is_unauthenticated_and_audited()
    {
        var request = Samples.Referral();

        await StatusAssert.Refused(() => _client.SubmitReferralAsync(request).ResponseAsync, StatusCode.Unauthenticated);
        await StatusAssert.Refused(() => _client.SubmitReferralAsync(request, GatewayServer.As("CN/NOBODY")).ResponseAsync, StatusCode.Unauthenticated);

        var audit = await server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.Equal(2, audit.Count(a => a.MessageId == request.Header.MessageId && a.Actor == "unauthenticated"));
        Assert.Null(await server.Store.FindMessageAsync(request.Header.MessageId, default));
    }

    [Fact]
    public async Task A_replay_with_the_same_content_gets_the_identical_receipt_and_stores_one_row()
    {
        var request = Samples.Referral();
        var first = (await Submit(request)).Receipt;
        var auditBefore = await server.Store.ReadAuditAsync(default).CountAsync(a => a.MessageId == first.MessageId);

        var again = (await Submit(request.Clone())).Receipt;

        Assert.Equal(first.SignedFields(), again.SignedFields());
        Assert.Single(await server.Store.GetDeliveriesAsync(first.MessageId, default));
        Assert.Equal(auditBefore, await server.Store.ReadAuditAsync(default).CountAsync(a => a.MessageId == first.MessageId));
    }

    [Fact]
    public async Task The_stored_content_hash_is_SHA256_of_the_kind_byte_and_the_payload_so_replays_match_across_versions()
    {
        var request = Samples.Referral();
        var receipt = (await Submit(request)).Receipt;

        var stored = await server.Store.FindMessageAsync(receipt.MessageId, default);

        Assert.Equal(request.ToByteArray(), stored!.Payload);
        Assert.Equal(
            System.Security.Cryptography.SHA256.HashData([(byte)Gateway.Core.Intake.MessageKind.Referral, .. stored.Payload]),
            stored.ContentHash);
    }

    [Fact]
    public async Task A_reused_id_with_different_content_is_already_exists_and_the_original_stays()
    {
        var request = Samples.Referral();
        var first = (await Submit(request)).Receipt;
        var changed = request.Clone();
        changed.Referral.Summary = "A different summary.";

        await StatusAssert.Refused(() => Submit(changed), StatusCode.AlreadyExists, "header.message_id");

        var stored = await server.Store.FindMessageAsync(first.MessageId, default);
        Assert.Equal(request.ToByteArray(), stored!.Payload);
    }
}
