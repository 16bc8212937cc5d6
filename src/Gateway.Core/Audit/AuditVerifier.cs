namespace Gateway.Core.Audit;

/// <summary>Result of verifying the audit log.</summary>
/// <param name="BrokenAt">The first sequence position where the log is not what the chain says, or null if intact.</param>
/// <param name="Problem">What was found there, for the operator.</param>
public sealed record AuditVerification(long RecordsChecked, long? BrokenAt, string? Problem)
{
    public bool IsIntact => BrokenAt is null;
}

/// <summary>
/// Recomputes the audit hash chain from the first entry and reports the first position that does not hold.
/// </summary>
public static class AuditVerifier
{
    /// <param name="records">The log in stored order (by sequence).</param>
    /// <param name="head">The recorded head of the log; catches a truncated tail.</param>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records, AuditHead? head)
    {
        long expected = 1;
        var previousHash = AuditChain.Genesis;
        foreach (var record in records)
        {
            if (record.Sequence != expected)
            {
                return Broken(expected, record.Sequence < expected
                    ? $"entry {record.Sequence} appears out of order"
                    : $"entry {expected} is missing");
            }

            if (!record.PreviousHash.AsSpan().SequenceEqual(previousHash))
            {
                return Broken(expected, "entry does not link to the entry before it");
            }

            if (!AuditChain.ComputeHash(record).AsSpan().SequenceEqual(record.Hash))
            {
                return Broken(expected, "entry's content does not match its hash");
            }

            previousHash = record.Hash;
            expected++;
        }

        var last = expected - 1;
        if (head is not null)
        {
            if (head.Sequence > last)
            {
                return Broken(last + 1, $"log ends at {last} but its recorded head is {head.Sequence}: entries were removed from the end");
            }

            if (head.Sequence < last)
            {
                return Broken(head.Sequence + 1, $"log goes past its recorded head {head.Sequence}");
            }

            if (!head.Hash.AsSpan().SequenceEqual(previousHash))
            {
                return Broken(last, "last entry does not match the recorded head");
            }
        }

        return new AuditVerification(last, null, null);

        AuditVerification Broken(long at, string problem) => new(expected - 1, at, problem);
    }
}
