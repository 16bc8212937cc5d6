using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>
/// Refusals of unidentified callers from one source that were counted instead of audited one by one, in one window.
/// </summary>
/// <param name="Source">The remote address they came from, or "other" for the sources past the tracked number.</param>
public sealed record SuppressedRefusals(string Source, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Count)
{
    public AuditEntry ToAuditEntry() =>
        new(
            AuditKinds.IntakeRefusalsSuppressed,
            "unauthenticated",
            null,
            new AuditDetails { Source = Source, Count = Count, WindowStart = WindowStart, WindowEnd = WindowEnd });
}

