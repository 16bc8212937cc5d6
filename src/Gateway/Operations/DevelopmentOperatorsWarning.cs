using Gateway.Identity;
using Gateway.Identity.Operators;
using Microsoft.Extensions.Options;

namespace Gateway.Operations;

/// <summary>
/// Says at start-up how operators are identified: loudly, that they are believed on their word in development mode;
/// else which issuer's tokens are accepted.
/// </summary>
public sealed class DevelopmentOperatorsWarning(IOptions<OperatorOptions> options, OperatorSigningKeys keys, ILogger<DevelopmentOperatorsWarning> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.IsJwt)
        {
            OperatorAuthLog.JwtOperators(logger, settings.Jwt.Issuer, settings.Jwt.Audience, keys.Current.Count, settings.Jwt.RoleClaim);
        }
        else
        {
            OperationsLog.InsecureOperators(logger, IdentityOptions.OperatorHeader);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
