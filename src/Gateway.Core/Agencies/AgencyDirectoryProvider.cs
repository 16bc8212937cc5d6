namespace Gateway.Core.Agencies;

/// <summary>
/// Holds the snapshot in effect and swaps it whole: a reader gets the old snapshot or the new one, never a mix. Whoever
/// calls <see cref="Update"/> has validated the new snapshot first (see <see cref="DirectoryValidation"/>).
/// </summary>
public sealed class AgencyDirectoryProvider(AgencyDirectory initial) : IAgencyDirectoryProvider
{
    private AgencyDirectory _current = initial;

    public AgencyDirectory GetDirectory() => Volatile.Read(ref _current);

    /// <summary>Makes <paramref name="next"/> the snapshot in effect, then fires the change token of the one it replaces.</summary>
    public void Update(AgencyDirectory next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        previous.ReplacedBy(next);
    }
}
