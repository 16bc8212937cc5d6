using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite;

/// <summary>Refuses store settings SQLite would not take, or that would commit nothing or checkpoint without pause.</summary>
public sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    /// <summary>The synchronous settings the store runs with; OFF is not offered, as it gives up durability altogether.</summary>
    public static readonly IReadOnlyList<string> SynchronousSettings = ["FULL", "EXTRA", "NORMAL"];

    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var failures = new List<string>();
        if (!SynchronousSettings.Contains(options.Synchronous, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{SqliteStoreOptions.Section}:Synchronous must be FULL, EXTRA or NORMAL.");
        }

        if (options.MaxBatch < 1)
        {
            failures.Add($"{SqliteStoreOptions.Section}:MaxBatch must be at least 1.");
        }

        if (options.CheckpointInterval <= TimeSpan.Zero)
        {
            failures.Add($"{SqliteStoreOptions.Section}:CheckpointInterval must be longer than zero, e.g. 00:00:00.500.");
        }

        if (options.WalRestartBytes < 1)
        {
            failures.Add($"{SqliteStoreOptions.Section}:WalRestartBytes must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
