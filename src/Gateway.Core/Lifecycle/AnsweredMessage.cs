using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// What intake read of the message a reply-type message acts on, and decides on: for a location request whether it was
/// withdrawn or answered and its deliveries (a withdrawal needs them), for a referral its coordination hold, for a
/// message a recipient asked a question about the delivery that asked it.
/// </summary>
public sealed record AnsweredMessage(bool Withdrawn, bool Answered, HoldState? Hold, IReadOnlyList<DeliveryRecord> Deliveries)
{
    /// <summary>For a clarification answer: when the asking recipient's reply is due again once it has the answer.</summary>
    public DateTimeOffset? ReplyDue { get; init; }

    /// <summary>The delivery on which a recipient asked a question, as read, and when its reply is due once answered.</summary>
    public static AnsweredMessage Question(DeliveryRecord asked, DateTimeOffset replyDue) => new(false, false, null, [asked]) { ReplyDue = replyDue };

    /// <summary>A location request as read, with its deliveries when the decision needs them.</summary>
    public static AnsweredMessage Request(StoredMessage request, IReadOnlyList<DeliveryRecord> deliveries) =>
        new(request.WithdrawnAt is not null, request.AnsweredAt is not null, null, deliveries);

    /// <summary>A referral's coordination hold as read.</summary>
    public static AnsweredMessage Referral(HoldRecord hold) => new(false, false, hold.State, []);
}
