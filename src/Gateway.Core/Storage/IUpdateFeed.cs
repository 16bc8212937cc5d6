
namespace Gateway.Core.Storage;

/// <summary>The case updates each agency follows, in the order the store committed them.</summary>
public interface IUpdateFeed
{
    /// <summary>
    /// Case updates addressed to <paramref name="recipient"/> with a sequence after <paramref name="afterSequence"/>, in
    /// sequence order, at most <paramref name="limit"/>; only of <paramref name="caseReferences"/> unless it is empty.
    /// </summary>
    Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(
        string recipient, IReadOnlyCollection<string> caseReferences, long afterSequence, int limit, CancellationToken cancellationToken);
}
