using Gateway.Core.Audit;

namespace Gateway.Core.Storage;

/// <summary>
/// Refusals from one source that were counted instead of audited one by one, in one window: of unidentified callers by
/// remote address, or of an agency's calls about messages it may not see, by agency.
/// </summary>
/// <param name="Source">The remote address or agency they came from, or "other" for the sources past the tracked number.</param>
/// <param name="Reason">The refusals' reason when they are counted by reason (hits of an agency's limit), else null.</param>
public sealed record SuppressedRefusals(string Source, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Count, string? Reason = null)
{
    /// <summary>Actor: the agency when the source is one (no remote address reads as an agency id), else unauthenticated.</summary>
    public AuditEntry ToAuditEntry() =>
        new(
            AuditKinds.IntakeRefusalsSuppressed,
            Agencies.AgencyId.TryParse(Source, out _) ? Source : "unauthenticated",
            null,
            new AuditDetails { Source = Source, Reason = Reason, Count = Count, WindowStart = WindowStart, WindowEnd = WindowEnd });
}

