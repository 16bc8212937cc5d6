using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Interagency.V1;
using Xunit;

namespace Gateway.Core.Tests.Audit;

public sealed class AuditDetailsTests
{
    [Fact]
    public void Stored_form_is_versioned_compact_json_in_declaration_order_without_absent_fields()
    {
        var details = new AuditDetails
        {
            Kind = MessageKind.Referral,
            Case = "CN-FJ-2026-0042",
            Recipients = ["CN/FJPSD", "RU/MVD"],
            State = MessageState.HeldForReview,
            Deliveries = DeliveryState.HeldForReview,
        };

        Assert.Equal(
            """{"v":2,"kind":"Referral","case":"CN-FJ-2026-0042","recipients":["CN/FJPSD","RU/MVD"],"state":"HeldForReview","deliveries":"HeldForReview"}""",
            details.Serialize());
    }

    [Fact]
    public void Free_text_and_times_are_stored_as_written_and_read_back_equal()
    {
        var details = new AuditDetails
        {
            Delivery = 12,
            RetryAt = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.FromHours(8)),
            Justification = SealedText.Clear("端点已修复 <ok> & 'done'"),
        };

        var stored = details.Serialize();

        Assert.Contains("端点已修复 <ok> & 'done'", stored, StringComparison.Ordinal);
        Assert.Contains("2026-12-03T08:00:00+08:00", stored, StringComparison.Ordinal);
        Assert.Equal(details, AuditDetails.Parse(stored));
    }

    [Fact]
    public void Text_written_before_details_were_typed_reads_back_as_legacy_version_zero()
    {
        var details = AuditDetails.Parse("rpc=/x code=InvalidArgument reason=schema fields=");

        Assert.Equal((0, "rpc=/x code=InvalidArgument reason=schema fields="), (details.V, details.Legacy));
        Assert.Null(details.Reason);
    }

    [Fact]
    public void A_refusal_record_becomes_an_intake_refused_entry_with_its_fields()
    {
        var entry = new RefusalRecord("/r", "CN/PLO-RU", null, "InvalidArgument", "schema", ["header.sender"]).ToAuditEntry();

        Assert.Equal((AuditKinds.IntakeRefused, "CN/PLO-RU", (string?)null), (entry.Kind, entry.Actor, entry.MessageId));
        Assert.Equal(new AuditDetails { Rpc = "/r", Code = "InvalidArgument", Reason = "schema", Fields = ["header.sender"] }, entry.Details);
    }
}
