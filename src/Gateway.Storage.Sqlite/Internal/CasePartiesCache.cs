using System.Collections.Concurrent;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite.Internal;

/// <summary>
/// The memberships of the cases under recently used references, so that a partner streaming updates on a case does not
/// make every update read them again. The writer marks a reference changed after committing a message that adds a
/// party; an entry counts only while no change came after the moment its reader began, so an entry read before a commit
/// and stored after it is never used.
/// </summary>
internal sealed class CasePartiesCache
{
    private const int MaxCases = 10_000;
    private readonly ConcurrentDictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Version, IReadOnlyList<CaseParty> Parties)> _entries = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>Where a reader begins: pass it to <see cref="Put"/> with what it then reads from the store.</summary>
    public long VersionOf(string caseReference) => _changedAt.GetValueOrDefault(caseReference);

    public bool TryGet(string caseReference, out IReadOnlyList<CaseParty> parties)
    {
        if (_entries.TryGetValue(caseReference, out var entry) && entry.Version == VersionOf(caseReference))
        {
            parties = entry.Parties;
            return true;
        }

        parties = [];
        return false;
    }

    public void Put(string caseReference, long version, IReadOnlyList<CaseParty> parties)
    {
        if (_entries.Count >= MaxCases)
        {
            // Versions come from one clock that never repeats, so forgetting them can only make entries count as stale.
            _entries.Clear();
            _changedAt.Clear();
        }

        _entries[caseReference] = (version, parties);
    }

    /// <summary>Called by the writer once a message that may add a party to the case is committed.</summary>
    public void Changed(string caseReference) => _changedAt[caseReference] = Interlocked.Increment(ref _clock);
}
