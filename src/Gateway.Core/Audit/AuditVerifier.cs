namespace Gateway.Core.Audit;

/// <summary>Result of verifying the audit log.</summary>
/// <param name="BrokenAt">The first sequence position where the log is not what the chain says, or null if intact.</param>
/// <param name="Problem">What was found there, for the operator.</param>
public sealed record AuditVerification(long RecordsChecked, long? BrokenAt, string? Problem)
{
    public bool IsIntact => BrokenAt is null;
}

/// <summary>
/// Recomputes the audit hash chain from the first entry and reports the first position that does not hold. It keeps
/// only the position and hash of the entry before, never the entries themselves, so a log of any length is verified in
/// the same memory: read it as a stream (<see cref="VerifyAsync"/>), not into a list.
/// </summary>
public static class AuditVerifier
{
    /// <param name="records">The log in stored order (by sequence).</param>
    /// <param name="head">The recorded head of the log; catches a truncated tail.</param>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records, AuditHead? head)
    {
        var walk = new ChainWalk();
        foreach (var record in records)
        {
            if (walk.Check(record) is { } broken)
            {
                return broken;
            }
        }

        return walk.End(head);
    }

    /// <inheritdoc cref="Verify"/>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, AuditHead? head, CancellationToken cancellationToken)
    {
        var walk = new ChainWalk();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (walk.Check(record) is { } broken)
            {
                return broken;
            }
        }

        return walk.End(head);
    }

    /// <summary>Where the walk along the chain has got to: the next sequence expected and the hash it must link to.</summary>
    private sealed class ChainWalk
    {
        private long _expected = 1;
        private byte[] _previousHash = AuditChain.Genesis;

        /// <summary>Checks the next entry; returns the verdict if the chain breaks there.</summary>
        public AuditVerification? Check(AuditRecord record)
        {
            if (record.Sequence != _expected)
            {
                return Broken(_expected, record.Sequence < _expected
                    ? $"entry {record.Sequence} appears out of order"
                    : $"entry {_expected} is missing");
            }

            if (!record.PreviousHash.AsSpan().SequenceEqual(_previousHash))
            {
                return Broken(_expected, "entry does not link to the entry before it");
            }

            if (!AuditChain.ComputeHash(record).AsSpan().SequenceEqual(record.Hash))
            {
                return Broken(_expected, "entry's content does not match its hash");
            }

            _previousHash = record.Hash;
            _expected++;
            return null;
        }

        /// <summary>The verdict once every entry has been checked: the last must be the recorded head.</summary>
        public AuditVerification End(AuditHead? head)
        {
            var last = _expected - 1;
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

                if (!head.Hash.AsSpan().SequenceEqual(_previousHash))
                {
                    return Broken(last, "last entry does not match the recorded head");
                }
            }

            return new AuditVerification(last, null, null);
        }

        private AuditVerification Broken(long at, string problem) => new(_expected - 1, at, problem);
    }
}
