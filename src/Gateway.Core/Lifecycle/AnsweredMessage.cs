using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>
/// What intake read of the message a reply-type message acts on, and decides on: for a request whether it was withdrawn,
/// whether the replier still owes its reply, and its deliveries (a withdrawal needs them); for a referral its
/// coordination hold; for a message a recipient asked a question about, the delivery that asked it.
/// </summary>
/// <param name="ReplyAwaited">For a reply: the replier's deadline on the request is still open, so the reply closes it.</param>
public sealed record AnsweredMessage(bool Withdrawn, bool ReplyAwaited, HoldState? Hold, IReadOnlyList<DeliveryRecord> Deliveries)
{
    /// <summary>For a clarification answer: when the asking recipient's reply is due again once it has the answer.</summary>
    public DateTimeOffset? ReplyDue { get; init; }

    /// <summary>The delivery on which a recipient asked a question, as read, and when its reply is due once answered.</summary>
    public static AnsweredMessage Question(DeliveryRecord asked, DateTimeOffset replyDue) => new(false, false, null, [asked]) { ReplyDue = replyDue };

    /// <summary>A request as read by a withdrawal, with its deliveries.</summary>
    public static AnsweredMessage Request(StoredMessage request, IReadOnlyList<DeliveryRecord> deliveries) =>
        new(request.WithdrawnAt is not null, false, null, deliveries);

    /// <summary>A request as read by a reply, and whether the replier still owes it.</summary>
    public static AnsweredMessage Replied(StoredMessage request, bool replyAwaited) =>
        new(request.WithdrawnAt is not null, replyAwaited, null, []);

    /// <summary>A referral's coordination hold as read.</summary>
    public static AnsweredMessage Referral(HoldRecord hold) => new(false, false, hold.State, []);
}
