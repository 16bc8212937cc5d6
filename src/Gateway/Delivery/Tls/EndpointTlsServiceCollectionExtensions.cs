using Gateway.Core.Agencies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery.Tls;

public static class EndpointTlsServiceCollectionExtensions
{
    /// <summary>
    /// How the gateway calls https endpoints (its client certificate, the endpoint trust anchors, the certificates the
    /// directory registers), from <c>Gateway:Identity</c> whatever the mode; in MutualTls mode, for a gateway that
    /// delivers, also the directory rule that every endpoint is https with a registered certificate. A gateway that does
    /// not deliver (<c>Gateway:Delivery:Enabled</c> false) calls no endpoint, so nothing of that is asked of it.
    /// </summary>
    public static IServiceCollection AddGatewayEndpointTls(this IServiceCollection services, IConfiguration configuration)
    {
        var mutualTls = EndpointTlsOptions.IsMutualTls(configuration) && configuration.GetValue(DeliveryOptions.Section + ":Enabled", true);
        services.AddOptions<EndpointTlsOptions>().Bind(configuration.GetSection(EndpointTlsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EndpointTlsOptions>, EndpointTlsOptionsValidator>(
            sp => new EndpointTlsOptionsValidator(sp.GetRequiredService<IHostEnvironment>(), mutualTls)));
        services.TryAddSingleton<EndpointTlsFiles>();
        services.TryAddSingleton(TimeProvider.System);
        if (mutualTls)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectoryValidator, EndpointTlsDirectoryValidator>());
        }

        return services;
    }
}
