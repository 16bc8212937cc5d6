using Gateway.Core.Storage;

namespace Gateway.Core.Lifecycle;

/// <summary>A review decision as Core took it: the result to answer, and the change set to apply when there is one.</summary>
/// <param name="Changes">Null when nothing changes (no such message, or nothing held).</param>
public sealed record ReviewVerdict(ReviewResult Result, ChangeSet? Changes);
