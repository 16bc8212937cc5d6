namespace Gateway.Core.Audit;

/// <summary>An audit entry as Core decides it; the store gives it its sequence, time and place in the hash chain.</summary>
/// <param name="Kind">One of <see cref="AuditKinds"/>.</param>
/// <param name="Actor">Who caused it: an agency id, "operator:NAME", "gateway", or "unauthenticated".</param>
/// <param name="MessageId">The message it is about, or null.</param>
public sealed record AuditEntry(string Kind, string Actor, string? MessageId, AuditDetails Details)
{
    /// <summary>
    /// The stored form of <see cref="Details"/>, written once when the entry is made: on the caller's thread, not on the
    /// store's single writer, whose time every message of a batch waits for. Null when the details carry a justification:
    /// the store writes those itself, once it has sealed the text under the entry's sequence.
    /// </summary>
    public string? StoredDetails { get; } = Details.Justification is null ? Details.Serialize() : null;
}
