using Gateway.Identity;
using Gateway.Identity.Operators;
using Microsoft.Extensions.Options;

namespace Gateway.Operations;

/// <summary>Says at start-up, loudly, that operators are believed on their word in development mode.</summary>
public sealed class DevelopmentOperatorsWarning(IOptions<OperatorOptions> options, ILogger<DevelopmentOperatorsWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsJwt)
        {
            OperationsLog.InsecureOperators(logger, IdentityOptions.OperatorHeader);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
