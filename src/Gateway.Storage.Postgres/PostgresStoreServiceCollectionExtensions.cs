using Gateway.Core.Encryption;
using Gateway.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Postgres;

/// <summary>Registers the shared PostgreSQL store behind each of the store's interfaces.</summary>
public static class PostgresStoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="PostgresMessageStore"/> on the database of <see cref="PostgresStoreOptions.ConnectionString"/>,
    /// opened (and its schema migrated) when first resolved, which the host does at start-up.
    /// </summary>
    public static IServiceCollection AddPostgresGatewayStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresStoreOptions>().Bind(configuration.GetSection(PostgresStoreOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // Opening connects and migrates; the host resolves the store once before it starts listening, so this blocks
        // start-up only, never a call.
        services.TryAddSingleton(sp => PostgresMessageStore.OpenAsync(
                sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value.ConnectionString,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgresMessageStore>>(),
                sp.GetService<DataKeyRing>())
            .GetAwaiter().GetResult());
        services.TryAddSingleton<IIntakeStore>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<IDeliveryQueue>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<IOperationsStore>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<IAuditLog>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<IUpdateFeed>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<ITraceStore>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<IStoreHealth>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<IExclusiveWork>(sp => sp.GetRequiredService<PostgresMessageStore>());
        services.TryAddSingleton<IReencryptionStore>(sp => sp.GetRequiredService<PostgresMessageStore>());
        return services;
    }
}
