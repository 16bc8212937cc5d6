using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>Refuses a missing connection string, or one Npgsql cannot read, before the gateway tries to connect.</summary>
public sealed class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{PostgresStoreOptions.Section}:ConnectionString is required with the PostgreSQL store, e.g. Host=127.0.0.1;Port=5432;Database=liaison;Username=liaison;Password=...");
        }

        try
        {
            var settings = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            return string.IsNullOrEmpty(settings.Host)
                ? ValidateOptionsResult.Fail($"{PostgresStoreOptions.Section}:ConnectionString names no Host.")
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException error)
        {
            // The message names the keyword Npgsql did not know, never a value (the password may be in it).
            return ValidateOptionsResult.Fail($"{PostgresStoreOptions.Section}:ConnectionString cannot be read: {error.Message}");
        }
    }
}
