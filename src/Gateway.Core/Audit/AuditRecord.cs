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
    private readonly AuditDetails? _details;

    /// <summary>
    /// The typed details, read from <see cref="Detail"/>; a store that holds data keys reads them once, with the
    /// justification opened.
    /// </summary>
    public AuditDetails Details
    {
        get => _details ?? AuditDetails.Parse(Detail);
        init => _details = value;
    }
}
