using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Storage;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Interagency.V1;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// The notices the gateway sends a message's sender about one of its recipients (a reply overdue, a refusal, a
/// question). A notice is a message of kind <see cref="MessageKind.Notice"/> stored with one delivery, to the sender,
/// so it is delivered, retried and traced like any other; the change set that raises it inserts it.
/// </summary>
public static class Notices
{
    /// <summary>
    /// The rows and the audit entry that issue <paramref name="notice"/> about the message whose header is
    /// <paramref name="about"/>, with the precondition that no notice with its id exists. The id is derived from what the
    /// notice is about, so the same notice is never issued twice.
    /// </summary>
    /// <param name="about">The header of the message the notice is about, as its sender sent it.</param>
    /// <param name="notice">The notice; its message id and recipient are set from <paramref name="about"/> and <paramref name="recipient"/>.</param>
    /// <param name="recipient">The recipient of that message the notice is about.</param>
    /// <param name="now">When the gateway issues it.</param>
    /// <param name="traceParent">The trace context stored with the message the notice is about: the notice's delivery joins its trace.</param>
    public static IssuedNotice Issue(Header about, string recipient, DeliveryNotice notice, DateTimeOffset now, string? traceParent)
    {
        notice = notice.Clone();
        notice.MessageId = about.MessageId;
        notice.Recipient = recipient;
        var id = NoticeId(notice);
        var header = new Header
        {
            MessageId = id,
            CaseReference = about.CaseReference,
            Sender = recipient,
            Recipients = { about.Sender },
            CreatedAt = Timestamp.FromDateTimeOffset(now),
            Priority = about.Priority,
            Handling = about.Handling?.Clone(),
            LegalBasis = about.LegalBasis?.Clone(),
            Language = about.Language,
        };
        var payload = new GatewayNotice { Header = header, Notice = notice }.ToByteArray();
        var message = new NewMessage(
            id,
            MessageKind.Notice,
            about.CaseReference,
            AgencyId.Parse(recipient),
            [AgencyId.Parse(about.Sender)],
            ContentHash(payload),
            payload,
            now,
            MessageState.Accepted,
            DeliveryState.Pending)
        {
            TraceParent = traceParent,
        };
        var entry = new AuditEntry(AuditKinds.NoticeIssued, OperationsLifecycle.Gateway, id, new AuditDetails
        {
            Kind = MessageKind.Notice,
            Case = about.CaseReference,
            Recipients = [about.Sender],
            Reason = ReasonOf(notice.Kind),
            About = about.MessageId,
            Recipient = recipient,
            ReplyBy = notice.ReplyDue?.ToDateTimeOffset(),
            Routes = [new AuditRoute(about.Sender, Routing.RouteReasons.GatewayNotice)],
        });
        return new IssuedNotice(
            new MessageIdFree(id),
            new InsertMessage(message, MessageState.Accepted, [about.Sender], DeliveryState.Pending, AuditIndex: -1),
            entry);
    }

    /// <summary>The reason a notice is audited with, e.g. reply_overdue.</summary>
    public static string ReasonOf(NoticeKind kind) => kind switch
    {
        NoticeKind.ReplyOverdue => "reply_overdue",
        NoticeKind.DeliveryRefused => "delivery_refused",
        NoticeKind.ClarificationRequested => "clarification_requested",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a notice kind."),
    };

    /// <summary>A UUID (version 8, RFC 9562) from the SHA-256 of what the notice is about: the same notice, the same id.</summary>
    private static string NoticeId(DeliveryNotice notice)
    {
        var due = notice.ReplyDue is { } replyDue ? replyDue.ToDateTimeOffset().ToUnixTimeMilliseconds() : 0;
        var key = $"notice|{notice.Kind}|{notice.MessageId}|{notice.Recipient}|{due}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString();
    }

    private static byte[] ContentHash(byte[] payload)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([(byte)MessageKind.Notice]);
        sha.AppendData(payload);
        return sha.GetHashAndReset();
    }
}

/// <summary>
/// A notice ready to go into a change set: its precondition, the row that stores it with its delivery, and its audit
/// entry. <see cref="Row"/>'s audit index must be set to where <see cref="Entry"/> lands in the change set's entries.
/// </summary>
public sealed record IssuedNotice(Precondition Precondition, InsertMessage Row, AuditEntry Entry)
{
    /// <summary>The row, pointing at its audit entry's place among the change set's entries.</summary>
    public InsertMessage RowAt(int auditIndex) => Row with { AuditIndex = auditIndex };
}
