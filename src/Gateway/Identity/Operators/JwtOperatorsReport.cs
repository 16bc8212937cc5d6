using Microsoft.Extensions.Options;

namespace Gateway.Identity.Operators;

/// <summary>Says at start-up which issuer's operator tokens are accepted, and how many signing keys are in effect.</summary>
public sealed class JwtOperatorsReport(IOptions<OperatorOptions> options, OperatorSigningKeys keys, ILogger<JwtOperatorsReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.IsJwt)
        {
            OperatorAuthLog.JwtOperators(logger, settings.Jwt.Issuer, settings.Jwt.Audience, keys.Current.Count, settings.Jwt.RoleClaim);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
