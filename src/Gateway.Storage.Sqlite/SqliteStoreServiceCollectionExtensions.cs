using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Sqlite;

/// <summary>Registers the embedded SQLite store behind each of the store's interfaces.</summary>
public static class SqliteStoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="SqliteMessageStore"/>, configured from <see cref="SqliteStoreOptions.Section"/> (the file defaults
    /// to data/gateway.db under the working directory), as the intake store, delivery queue, operations store, audit log
    /// and update feed.
    /// </summary>
    public static IServiceCollection AddSqliteGatewayStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSqliteStoreOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteMessageStore>();
        services.TryAddSingleton<IIntakeStore>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<IDeliveryQueue>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<IOperationsStore>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<IAuditLog>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<IUpdateFeed>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<ITraceStore>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<IStoreHealth>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<IReencryptionStore>(sp => sp.GetRequiredService<SqliteMessageStore>());
        services.TryAddSingleton<IExclusiveWork>(sp => sp.GetRequiredService<SqliteMessageStore>());
        return services;
    }

    /// <summary>
    /// The SQLite store's settings alone, its path made absolute. The gateway keeps its development key files beside that
    /// path whichever store it uses, so these are bound with the PostgreSQL store too.
    /// </summary>
    public static IServiceCollection AddSqliteStoreOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SqliteStoreOptions>()
            .Bind(configuration.GetSection(SqliteStoreOptions.Section))
            .PostConfigure(o => o.Path = Path.GetFullPath(string.IsNullOrEmpty(o.Path) ? Path.Combine("data", "gateway.db") : o.Path))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        return services;
    }
}
