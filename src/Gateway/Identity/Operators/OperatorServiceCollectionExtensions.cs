using Gateway.Operations;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Identity.Operators;

public static class OperatorServiceCollectionExtensions
{
    /// <summary>
    /// Operator authentication as <c>Gateway:Operators:Mode</c> says: JWT bearer tokens (a named JwtBearer scheme, never
    /// the default one), or in development the operator header, announced loudly at start-up.
    /// </summary>
    public static IServiceCollection AddGatewayOperators(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperatorOptions>().Bind(configuration.GetSection(OperatorOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OperatorOptions>, OperatorOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>());
        services.TryAddSingleton<OperatorSigningKeys>();
        services.TryAddSingleton<DevelopmentOperatorHeader>();
        services.TryAddSingleton<JwtOperatorAuthorizer>();
        services.TryAddSingleton<IOperatorAuthorizer>(sp => sp.GetRequiredService<IOptions<OperatorOptions>>().Value.IsJwt
            ? sp.GetRequiredService<JwtOperatorAuthorizer>()
            : sp.GetRequiredService<DevelopmentOperatorHeader>());
        services.AddAuthentication().AddJwtBearer(JwtOperatorAuthorizer.Scheme, _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, OperatorJwtSetup>());
        services.AddHostedService<DevelopmentOperatorsWarning>();
        services.AddHostedService<JwtOperatorsReport>();
        return services;
    }
}
