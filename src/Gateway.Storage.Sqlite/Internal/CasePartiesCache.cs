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
    public const int MaxCases = 10_000;
    private readonly ConcurrentDictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Version, IReadOnlyList<CaseParty> Parties)> _entries = new(StringComparer.Ordinal);
    private long _clock;

    // When the entries were last forgotten: every reference counts as changed then. Without it a reader that began before
    // a change forgotten by the clearing, with no change known (version 0), could store what it read and have it used.
    private long _clearedAt;

    // Counted here rather than by _entries.Count, which takes all of the dictionary's locks: when every referral opened a
    // case of its own, each Put did so, and the callers spent a third of the CPU contending for them.
    private int _puts;

    /// <summary>Where a reader begins: pass it to <see cref="Put"/> with what it then reads from the store.</summary>
    public long VersionOf(string caseReference) => Math.Max(_changedAt.GetValueOrDefault(caseReference), Volatile.Read(ref _clearedAt));

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
        if (Interlocked.Increment(ref _puts) > MaxCases)
        {
            Volatile.Write(ref _puts, 0);
            _entries.Clear();
            _changedAt.Clear();

            // After clearing, so that a change recorded while clearing and lost with it still makes older readers stale.
            Volatile.Write(ref _clearedAt, Interlocked.Increment(ref _clock));
        }

        _entries[caseReference] = (version, parties);
    }

    /// <summary>Called by the writer once a message that may add a party to the case is committed.</summary>
    public void Changed(string caseReference) => _changedAt[caseReference] = Interlocked.Increment(ref _clock);
}
