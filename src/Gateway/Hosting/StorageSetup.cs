using Gateway.Delivery;
using Gateway.Storage.Postgres;
using Gateway.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Hosting;

/// <summary>
/// The store the gateway runs on, chosen by <see cref="ProviderKey"/>: the embedded SQLite file (the default: one gateway
/// process per file) or a PostgreSQL database that several gateway instances share.
/// </summary>
public static class StorageSetup
{
    public const string ProviderKey = "Gateway:Storage:Provider";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public static IServiceCollection AddGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        if (IsPostgres(configuration))
        {
            services.AddSqliteStoreOptions(configuration);
            services.AddPostgresGatewayStore(configuration);
            services.AddHostedService<SharedStoreWakeups>();
            return services;
        }

        return services.AddSqliteGatewayStore(configuration);
    }

    /// <summary>Whether the configuration chooses PostgreSQL; a provider the gateway does not know is a start-up refusal.</summary>
    public static bool IsPostgres(IConfiguration configuration) =>
        configuration[ProviderKey] switch
        {
            null or "" => false,
            var name when name.Equals(Sqlite, StringComparison.OrdinalIgnoreCase) => false,
            var name when name.Equals(Postgres, StringComparison.OrdinalIgnoreCase) => true,
            var name => throw new GatewayConfigurationException($"{ProviderKey} is '{name}'; it must be {Sqlite} (the default) or {Postgres}."),
        };

    /// <summary>Where the data is, for the start-up report and refusals: the file, or the database and its server (never the password).</summary>
    public static string Describe(IServiceProvider services)
    {
        if (services.GetService<IOptions<PostgresStoreOptions>>() is { } postgres
            && IsPostgres(services.GetRequiredService<IConfiguration>()))
        {
            var settings = new NpgsqlConnectionStringBuilder(postgres.Value.ConnectionString);
            return $"PostgreSQL database {settings.Database ?? settings.Username} on {settings.Host}:{settings.Port}";
        }

        return services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
    }

    /// <summary>What to fix when the store cannot be opened at start-up.</summary>
    public static string FixFor(IServiceProvider services) =>
        IsPostgres(services.GetRequiredService<IConfiguration>())
            ? $"Check that PostgreSQL is running and that {PostgresStoreOptions.Section}:ConnectionString names a server, database and role the gateway can use."
            : $"Set {SqliteStoreOptions.Section}:Path to a file the gateway can create or open.";
}
