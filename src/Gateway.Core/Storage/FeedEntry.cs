namespace Gateway.Core.Storage;

/// <summary>
/// A case update addressed to a subscriber, as its feed holds it: the sequence is the update's delivery id to that
/// subscriber, increasing in commit order, so "after sequence N" resumes with no gap and no duplicate.
/// </summary>
/// <param name="Payload">The PublishUpdatesRequest as received, in protobuf encoding.</param>
public sealed record FeedEntry(long Sequence, string MessageId, string CaseReference, byte[] Payload);
