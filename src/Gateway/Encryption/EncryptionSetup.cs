using Gateway.Core.Encryption;
using Gateway.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Encryption;

/// <summary>Registers the data key ring the store seals personal data with, from <see cref="EncryptionOptions.Section"/>.</summary>
public static class EncryptionSetup
{
    public static IServiceCollection AddGatewayEncryption(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EncryptionOptions>().Bind(configuration.GetSection(EncryptionOptions.Section)).ValidateOnStart();
        services.TryAddSingleton(sp => new DataKeyLoader(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, Environment.GetEnvironmentVariable));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EncryptionOptions>, EncryptionOptionsValidator>());
        services.TryAddSingleton(sp => CreateRing(
            sp.GetRequiredService<IOptions<EncryptionOptions>>().Value,
            sp.GetRequiredService<DataKeyLoader>(),
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EncryptionSetup).FullName!)));
        return services;
    }

    private static DataKeyRing CreateRing(EncryptionOptions options, DataKeyLoader loader, string storePath, ILogger logger)
    {
        if (options.Keys.Count == 0)
        {
            // Validation refused this in mutual TLS mode; only a development gateway gets here.
            var (key, created) = DevelopmentDataKey.LoadOrCreate(storePath);
            if (created)
            {
                EncryptionLog.DevelopmentKeyCreated(logger, DevelopmentDataKey.PathFor(storePath));
            }
            else
            {
                EncryptionLog.DevelopmentKeyUsed(logger, DevelopmentDataKey.PathFor(storePath));
            }

            return new DataKeyRing([key], key.Id);
        }

        var keys = options.Keys.Select((k, i) => loader.Load(k, i).Key!).ToArray();
        EncryptionLog.KeysLoaded(logger, options.ActiveKey, keys.Length, string.Join(", ", keys.Select(k => k.Id)));
        return new DataKeyRing(keys, options.ActiveKey);
    }
}
