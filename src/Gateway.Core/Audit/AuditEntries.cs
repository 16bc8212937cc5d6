namespace Gateway.Core.Audit;

/// <summary>Audit entries that belong to no lifecycle transition.</summary>
public static class AuditEntries
{
    /// <summary>An operator is about to be shown the content of a message, through <paramref name="via"/>.</summary>
    public static AuditEntry Consulted(string actor, string messageId, string via) =>
        new(AuditKinds.MessageConsulted, actor, messageId, new AuditDetails { Via = via });
}
