using Gateway.Core.Agencies;
using Gateway.Tests.Shared;

namespace Gateway.Core.Tests.Agencies;

public class DirectoryCanonicalFormTests
{
    private static string HashOf(Action<DirectoryOptions> edit)
    {
        var options = SampleDirectory.CreateOptions();
        edit(options);
        return AgencyDirectory.FromOptions(options).ContentHash;
    }

    [Fact]
    public void The_hash_is_sha256_hex_of_the_versioned_canonical_form()
    {
        var sample = SampleDirectory.Create();
        var form = DirectoryCanonicalForm.Of(sample);

        Assert.StartsWith(DirectoryCanonicalForm.Version, form, StringComparison.Ordinal);
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(form))),
            sample.ContentHash);
        Assert.Matches("^[0-9a-f]{64}$", sample.ContentHash);

        // Each field is written with its length, so text cannot move from one field to the next unnoticed.
        Assert.Contains("8:CN/FJPSD", form, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_content_has_an_equal_hash_however_it_was_listed()
    {
        var reordered = HashOf(o =>
        {
            o.Agencies.Reverse();
            o.Routes[0].Kinds.Reverse();
            o.Agencies[0].CompetentFor.Reverse();
        });

        Assert.Equal(SampleDirectory.Create().ContentHash, reordered);
    }

    [Fact]
    public void Any_edit_of_content_changes_the_hash()
    {
        var sample = SampleDirectory.Create().ContentHash;

        Assert.NotEqual(sample, HashOf(o => o.Agencies[0].Name += "."));
        Assert.NotEqual(sample, HashOf(o => o.Agencies[1].Endpoint = "http://127.0.0.1:6000"));
        Assert.NotEqual(sample, HashOf(o => o.Routes[3].MaxHandling = "H1"));
        Assert.NotEqual(sample, HashOf(o => o.Routes[3].Id = "partners"));
        Assert.NotEqual(sample, HashOf(o => o.Routes.RemoveAt(6)));
    }

    [Fact]
    public void The_order_of_route_agreements_is_content()
    {
        Assert.NotEqual(SampleDirectory.Create().ContentHash, HashOf(o => o.Routes.Reverse()));
    }
}
