using Gateway.Core.Limits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Limits;

public static class AgencyLimitsServiceCollectionExtensions
{
    /// <summary>
    /// Limits per agency from <c>Gateway:AgencyLimits</c>: rate and open streams (<see cref="AgencyLimitsInterceptor"/>,
    /// which AddGatewayGrpc places after the identity check), recipients and message size (intake's rules).
    /// </summary>
    public static IServiceCollection AddGatewayAgencyLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgencyLimitsOptions>().Bind(configuration.GetSection(AgencyLimitsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgencyLimitsOptions>, AgencyLimitsValidator>());
        services.TryAddSingleton<AgencyLimitTable>();
        services.TryAddSingleton<AgencyRateLimits>();
        services.TryAddSingleton<AgencyLimitsInterceptor>();
        return services;
    }
}
