using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Deadlines;

/// <summary>
/// Which messages await a reply from each of their recipients, and by when: referrals, location requests and case
/// updates that ask for a translation, due at the sender's reply-by or else at the priority's default from when the
/// gateway decides to accept them. A message held for review counts from its acceptance too: the sender's clock runs
/// while the gateway holds it, and a recipient is not raised overdue while its delivery is held (see the watcher).
/// </summary>
public sealed class ReplyDeadlines(IOptions<ReplyDeadlineOptions> options, TimeProvider time)
{
    private readonly ReplyDeadlineOptions _options = options.Value;

    /// <summary>Whether each recipient of <paramref name="request"/> owes its sender an answer.</summary>
    public static bool AwaitsReply(IMessage request) =>
        request is SubmitReferralRequest or RequestLocationRequest or PublishUpdatesRequest { Update.Translation: not null };

    /// <summary>When each recipient's reply to <paramref name="request"/> is due, or null when it awaits none.</summary>
    public DateTimeOffset? DueOf(Header header, IMessage request) =>
        !AwaitsReply(request) ? null
        : header.ReplyBy is { } replyBy ? replyBy.ToDateTimeOffset()
        : time.GetUtcNow() + _options.For(header.Priority);

    /// <summary>A deadline that starts again now for a request of <paramref name="priority"/> (a question answered).</summary>
    public DateTimeOffset DueFromNow(Priority priority) => time.GetUtcNow() + _options.For(priority);
}
