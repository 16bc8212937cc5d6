namespace Gateway.Core.Audit;

/// <summary>
/// One entry of the append-only audit log. <see cref="Hash"/> covers every other field and the
/// previous entry's hash, so any edit, deletion, insertion or reordering breaks the chain.
/// </summary>
/// <param name="MessageId">The message concerned, or empty.</param>
/// <param name="Detail">The stored form of <see cref="Details"/>, as hashed.</param>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset At,
    string Kind,
    string Actor,
    string MessageId,
    string Detail,
    byte[] PreviousHash,
    byte[] Hash)
{
    /// <summary>The typed details, read from <see cref="Detail"/>.</summary>
    public AuditDetails Details => AuditDetails.Parse(Detail);
}
