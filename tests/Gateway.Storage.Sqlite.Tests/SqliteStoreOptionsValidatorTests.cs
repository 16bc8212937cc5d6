namespace Gateway.Storage.Sqlite.Tests;

/// <summary>The store settings validator as a plain function.</summary>
public class SqliteStoreOptionsValidatorTests
{
    private readonly SqliteStoreOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate(null, new SqliteStoreOptions()).Succeeded);

    [Theory]
    [InlineData("FULL")]
    [InlineData("extra")]
    [InlineData("Normal")]
    public void Each_synchronous_setting_the_store_runs_with_is_valid(string synchronous) =>
        Assert.True(_validator.Validate(null, new SqliteStoreOptions { Synchronous = synchronous }).Succeeded);

    [Fact]
    public void Every_value_out_of_range_is_named()
    {
        var result = _validator.Validate(null, new SqliteStoreOptions
        {
            Synchronous = "OFF",
            MaxBatch = 0,
            CheckpointInterval = TimeSpan.Zero,
            WalRestartBytes = 0,
        });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Gateway:Storage:Sqlite:Synchronous must be FULL, EXTRA or NORMAL.",
                "Gateway:Storage:Sqlite:MaxBatch must be at least 1.",
                "Gateway:Storage:Sqlite:CheckpointInterval must be longer than zero, e.g. 00:00:00.500.",
                "Gateway:Storage:Sqlite:WalRestartBytes must be at least 1.",
            ],
            result.Failures);
    }
}
