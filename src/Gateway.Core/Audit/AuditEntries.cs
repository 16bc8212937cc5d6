using Gateway.Core.Agencies;

namespace Gateway.Core.Audit;

/// <summary>Audit entries that belong to no lifecycle transition.</summary>
public static class AuditEntries
{
    /// <summary>
    /// An operator or a party is about to be shown the content of a message, through <paramref name="via"/>, for the
    /// reason it stated, if the call asks for one.
    /// </summary>
    public static AuditEntry Consulted(string actor, string messageId, string via, string? justification = null) =>
        new(AuditKinds.MessageConsulted, actor, messageId, new AuditDetails { Via = via, Justification = justification is null ? null : SealedText.Clear(justification) });

    /// <summary>
    /// A directory snapshot takes effect: its content hash and, by id, what it changed against the one before (null at
    /// start-up, so everything is added). Lists with nothing in them are left out.
    /// </summary>
    public static AuditEntry DirectoryLoaded(AgencyDirectory directory, DirectoryChanges changes) =>
        new(AuditKinds.DirectoryLoaded, "gateway", null, new AuditDetails
        {
            ContentHash = directory.ContentHash,
            AgenciesAdded = NullIfEmpty(changes.AgenciesAdded),
            AgenciesRemoved = NullIfEmpty(changes.AgenciesRemoved),
            AgenciesChanged = NullIfEmpty(changes.AgenciesChanged),
            RoutesAdded = NullIfEmpty(changes.RoutesAdded),
            RoutesRemoved = NullIfEmpty(changes.RoutesRemoved),
            RoutesChanged = NullIfEmpty(changes.RoutesChanged),
        });

    private static IReadOnlyList<string>? NullIfEmpty(IReadOnlyList<string> ids) => ids.Count == 0 ? null : ids;
}
