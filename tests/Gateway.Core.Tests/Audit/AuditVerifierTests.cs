using Gateway.Core.Audit;

namespace Gateway.Core.Tests.Audit;

public class AuditVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var record = AuditChain.Append(i, Start.AddSeconds(i), "message.accepted", "CN/PLO-RU", Guid.NewGuid().ToString(), $"n={i}", previous);
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    private static AuditHead Head(List<AuditRecord> records) => new(records[^1].Sequence, records[^1].Hash);

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var records = Chain(10);

        var result = AuditVerifier.Verify(records, Head(records));

        Assert.True(result.IsIntact);
        Assert.Equal(10, result.RecordsChecked);
    }

    [Fact]
    public void An_edited_entry_is_found_at_its_position()
    {
        var records = Chain(10);
        var head = Head(records);
        records[4] = records[4] with { Detail = "n=500" };

        Assert.Equal(5, AuditVerifier.Verify(records, head).BrokenAt);
    }

    [Fact]
    public void A_deleted_entry_is_found_at_its_position()
    {
        var records = Chain(10);
        var head = Head(records);
        records.RemoveAt(4);

        Assert.Equal(5, AuditVerifier.Verify(records, head).BrokenAt);
    }

    [Fact]
    public void A_swapped_pair_is_found_at_the_first_of_them()
    {
        var records = Chain(10);
        var head = Head(records);
        (records[4], records[5]) = (records[5], records[4]);

        Assert.Equal(5, AuditVerifier.Verify(records, head).BrokenAt);
    }

    [Fact]
    public void A_removed_tail_is_found_through_the_head()
    {
        var records = Chain(10);
        var head = Head(records);
        records.RemoveAt(9);

        Assert.Equal(10, AuditVerifier.Verify(records, head).BrokenAt);
    }

    [Fact]
    public void A_rehashed_forgery_still_breaks_the_link_of_the_next_entry()
    {
        var records = Chain(10);
        var head = Head(records);
        records[4] = AuditChain.Append(5, records[4].At, "message.accepted", "CN/PLO-RU", records[4].MessageId, "forged", records[3].Hash);

        Assert.Equal(6, AuditVerifier.Verify(records, head).BrokenAt);
    }

    [Fact]
    public async Task A_stream_is_verified_as_it_is_read_and_an_edit_found_at_its_position()
    {
        var records = Chain(10);
        var head = Head(records);
        records[4] = records[4] with { Actor = "US/FBI" };
        var read = 0;

        var result = await AuditVerifier.VerifyAsync(Stream(), head, default);

        Assert.Equal(5, result.BrokenAt);
        Assert.Equal(5, read);

        async IAsyncEnumerable<AuditRecord> Stream()
        {
            foreach (var record in records)
            {
                await Task.Yield();
                read++;
                yield return record;
            }
        }
    }
}
