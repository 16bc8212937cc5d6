namespace Gateway.Core.Storage;

/// <summary>A request with a reply-by time, and what has become of it: the facts Core decides an overdue event on.</summary>
public sealed record AwaitedReply(string MessageId, string Sender, DateTimeOffset ReplyBy, bool Answered, bool Withdrawn, bool Overdue);
