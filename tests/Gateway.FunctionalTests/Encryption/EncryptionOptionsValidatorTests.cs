using Gateway.Core.Encryption;
using Gateway.Encryption;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Encryption;

/// <summary>Data key settings: each refused with a message naming the setting, never the key's text.</summary>
public sealed class EncryptionOptionsValidatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-keys-").FullName;
    private readonly Dictionary<string, string?> _environment = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Mutual_tls_mode_without_keys_is_refused_naming_the_setting()
    {
        var failures = Validate(new EncryptionOptions(), "MutualTls");

        Assert.Contains(failures, f => f.Contains("Gateway:Encryption:Keys is empty") && f.Contains("MutualTls"));
    }

    [Fact]
    public void Development_mode_without_keys_is_accepted() => Assert.Empty(Validate(new EncryptionOptions(), "Development"));

    [Fact]
    public void Keys_from_a_file_an_environment_variable_and_a_value_are_read_and_the_active_one_accepted()
    {
        File.WriteAllText(Path.Combine(_folder, "k1.key"), DataKey.Generate("k1").ToBase64() + "\n");
        _environment["LIAISON_DATA_KEY_K2"] = DataKey.Generate("k2").ToBase64();
        var options = Options("k3", new DataKeyOptions { Id = "k1", Path = "k1.key" }, new DataKeyOptions { Id = "k2", Environment = "LIAISON_DATA_KEY_K2" }, new DataKeyOptions { Id = "k3", Value = DataKey.Generate("k3").ToBase64() });

        Assert.Empty(Validate(options, "MutualTls"));
        Assert.Equal("k1", Loader().Load(options.Keys[0], 0).Key!.Id);
    }

    [Fact]
    public void An_environment_variable_that_is_not_set_is_named()
    {
        var failures = Validate(Options("k2", new DataKeyOptions { Id = "k2", Environment = "LIAISON_DATA_KEY_K2" }), "MutualTls");

        Assert.Equal(["Gateway:Encryption:Keys:0:Environment: the environment variable LIAISON_DATA_KEY_K2 of key 'k2' is not set."], failures);
    }

    [Fact]
    public void A_missing_key_file_is_named()
    {
        var failures = Validate(Options("k1", new DataKeyOptions { Id = "k1", Path = "nowhere.key" }), "MutualTls");

        Assert.Contains(Path.Combine(_folder, "nowhere.key"), Assert.Single(failures));
    }

    [Fact]
    public void Key_text_of_the_wrong_length_is_refused_without_echoing_it()
    {
        var failures = Validate(Options("k1", new DataKeyOptions { Id = "k1", Value = "c2hvcnQ=" }), "MutualTls");

        Assert.DoesNotContain("c2hvcnQ=", Assert.Single(failures));
    }

    [Fact]
    public void An_active_key_that_is_not_configured_two_sources_and_a_repeated_id_are_each_refused()
    {
        var value = DataKey.Generate("k1").ToBase64();
        var failures = Validate(
            Options("k9", new DataKeyOptions { Id = "k1", Value = value, Environment = "X" }, new DataKeyOptions { Id = "k1", Value = value }), "Development");

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains("exactly one of Path, Environment or Value"));
        Assert.Contains(failures, f => f.Contains("given twice"));
        Assert.Contains(failures, f => f.Contains("ActiveKey must be the id of one of the configured Keys"));
    }

    private static EncryptionOptions Options(string active, params DataKeyOptions[] keys) => new() { ActiveKey = active, Keys = [.. keys] };

    private DataKeyLoader Loader() => new(_folder, name => _environment.GetValueOrDefault(name));

    private List<string> Validate(EncryptionOptions options, string mode)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Identity:Mode"] = mode }).Build();
        var result = new EncryptionOptionsValidator(Loader(), configuration).Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }
}
