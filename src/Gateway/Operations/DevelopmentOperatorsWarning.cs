using Gateway.Identity;

namespace Gateway.Operations;

/// <summary>Says at start-up, loudly, that operators are believed on their word in development mode.</summary>
public sealed class DevelopmentOperatorsWarning(ILogger<DevelopmentOperatorsWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        OperationsLog.InsecureOperators(logger, IdentityOptions.OperatorHeader);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
