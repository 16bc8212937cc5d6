using Gateway.Core.Storage;

namespace Gateway.Storage.Postgres;

/// <summary>The case updates each agency follows, published through any instance.</summary>
public sealed partial class PostgresMessageStore : IUpdateFeed
{
    public Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(
        string recipient, IReadOnlyCollection<string> caseReferences, long afterSequence, int limit, CancellationToken cancellationToken) =>
        Guarded(() => _feed.ReadFeedAsync(recipient, caseReferences, afterSequence, limit, cancellationToken));
}
