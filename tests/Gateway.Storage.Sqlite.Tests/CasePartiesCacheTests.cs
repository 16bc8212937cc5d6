using Gateway.Core.Storage;
using Gateway.Storage.Sqlite.Internal;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>The cache of case memberships never hands out what was read before a commit that changed them.</summary>
public sealed class CasePartiesCacheTests
{
    private static readonly IReadOnlyList<CaseParty> Before = [new CaseParty("CN/PLO-RU", "CN/PLO-RU")];
    private static readonly IReadOnlyList<CaseParty> After = [new CaseParty("CN/PLO-RU", "CN/FJPSD"), new CaseParty("CN/PLO-RU", "CN/PLO-RU")];

    [Fact]
    public void An_entry_read_before_a_change_is_not_used()
    {
        var cache = new CasePartiesCache();
        var version = cache.VersionOf("CASE-1");
        cache.Changed("CASE-1");
        cache.Put("CASE-1", version, Before);

        Assert.False(cache.TryGet("CASE-1", out _));
    }

    [Fact]
    public void An_entry_read_after_the_last_change_is_used()
    {
        var cache = new CasePartiesCache();
        cache.Changed("CASE-1");
        cache.Put("CASE-1", cache.VersionOf("CASE-1"), After);

        Assert.True(cache.TryGet("CASE-1", out var parties));
        Assert.Equal(After, parties);
    }

    [Fact]
    public void An_entry_read_before_a_change_that_the_cache_then_forgot_is_not_used()
    {
        var cache = new CasePartiesCache();
        var version = cache.VersionOf("CASE-1");
        cache.Changed("CASE-1");
        FillUntilForgotten(cache);
        cache.Put("CASE-1", version, Before);

        Assert.False(cache.TryGet("CASE-1", out _));
    }

    [Fact]
    public void After_forgetting_an_entry_read_anew_is_used()
    {
        var cache = new CasePartiesCache();
        cache.Changed("CASE-1");
        FillUntilForgotten(cache);
        cache.Put("CASE-1", cache.VersionOf("CASE-1"), After);

        Assert.True(cache.TryGet("CASE-1", out var parties));
        Assert.Equal(After, parties);
    }

    // One case more than the cache keeps: the last of them makes it forget every entry and every change.
    private static void FillUntilForgotten(CasePartiesCache cache)
    {
        for (var i = 0; i <= CasePartiesCache.MaxCases; i++)
        {
            cache.Put($"OTHER-{i}", cache.VersionOf($"OTHER-{i}"), Before);
        }
    }
}
