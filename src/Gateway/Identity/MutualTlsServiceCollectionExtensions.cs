using Gateway.Hosting;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Identity;

public static class MutualTlsServiceCollectionExtensions
{
    /// <summary>
    /// In <see cref="IdentityOptions.MutualTlsMode"/>: HTTPS with the gateway's server certificate, and agencies
    /// identified by their client certificates through ASP.NET Core certificate authentication. In development mode
    /// nothing is added.
    /// </summary>
    public static IServiceCollection AddGatewayMutualTls(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IdentityOptions.IsMutualTls(configuration))
        {
            return services;
        }

        services.AddOptions<MutualTlsOptions>().Bind(configuration.GetSection(IdentityOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MutualTlsOptions>, MutualTlsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerCertificateSource>();
        services.TryAddSingleton<AgencyTrustStore>();
        services.TryAddSingleton<RegisteredAgencyCertificates>();
        services.TryAddSingleton<AgencyCertificateEvents>();
        services.TryAddSingleton<ICertificateValidationCache, AgencyCertificateCache>();
        services.AddAuthentication().AddCertificate();
        services.TryAddSingleton<CertificateAuthenticationSetup>();
        services.AddSingleton<IConfigureOptions<CertificateAuthenticationOptions>>(sp => sp.GetRequiredService<CertificateAuthenticationSetup>());
        services.AddSingleton<IOptionsChangeTokenSource<CertificateAuthenticationOptions>>(sp => sp.GetRequiredService<CertificateAuthenticationSetup>());
        services.TryAddSingleton<ICallerIdentityResolver, MutualTlsIdentity>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, MutualTlsKestrelSetup>());
        return services;
    }
}
