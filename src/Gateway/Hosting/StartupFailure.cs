using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// Turns a configuration error at start-up into one line on stderr and an exit code, where it would otherwise end the
/// process as an unhandled exception (exit 134, a stack trace that hides the one sentence the operator needs).
/// Anything else is a fault of the gateway, not of its configuration, and still ends it with its stack trace.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>Runs <paramref name="run"/>; returns its exit code, or <paramref name="failureCode"/> after a configuration error.</summary>
    public static async Task<int> ExitCodeAsync(Func<Task<int>> run, int failureCode = ExitCode)
    {
        try
        {
            return await run();
        }
        catch (Exception error) when (IsConfigurationError(error))
        {
            await Console.Error.WriteLineAsync($"Liaison Gateway cannot start: {Describe(error)}");
            return failureCode;
        }
    }

    /// <summary>
    /// Errors whose message already says what to change: the gateway's own, failed options validation (several at once
    /// come as an <see cref="AggregateException"/>), and an address that another process holds.
    /// </summary>
    public static bool IsConfigurationError(Exception? error) => error switch
    {
        GatewayConfigurationException or OptionsValidationException => true,
        IOException { InnerException: AddressInUseException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsConfigurationError),
        _ => false,
    };

    private static string Describe(Exception error) => error is AggregateException aggregate
        ? string.Join(" ", aggregate.InnerExceptions.Select(Describe))
        : error.Message;
}
