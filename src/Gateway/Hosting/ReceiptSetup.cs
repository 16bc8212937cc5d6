using Gateway.Core.Receipts;
using Gateway.Identity;
using Gateway.Receipts;
using Gateway.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>Signed receipts: the signing key from <c>Gateway:Receipts</c>, the signer every receipt goes through, the published public keys.</summary>
public static class ReceiptSetup
{
    public static IServiceCollection AddGatewayReceipts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReceiptOptions>().Bind(configuration.GetSection(ReceiptOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReceiptOptions>>(
            new ReceiptOptionsValidator(configuration[$"{IdentityOptions.Section}:Mode"])));
        services.TryAddSingleton(sp => ReceiptKeyring.Load(
            sp.GetRequiredService<IOptions<ReceiptOptions>>().Value,
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path));
        services.TryAddSingleton<ReceiptSigner>(sp => sp.GetRequiredService<ReceiptKeyring>().Signer);
        services.AddHostedService<ReceiptKeyPublication>();
        return services;
    }
}
