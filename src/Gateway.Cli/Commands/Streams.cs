using Grpc.Core;

namespace Gateway.Cli.Commands;

/// <summary>Server streams that run until the user stops them.</summary>
internal static class Streams
{
    /// <summary>
    /// Prints every message of <paramref name="stream"/> until the gateway ends it or the user presses Ctrl+C; both are
    /// a normal end (exit code 0), since following a stream has no other.
    /// </summary>
    public static async Task<int> ReadUntilCancelledAsync<T>(CliContext cli, IAsyncStreamReader<T> stream, Action<T> print)
    {
        try
        {
            await foreach (var message in stream.ReadAllAsync(cli.Cancellation))
            {
                print(message);
                await cli.Out.FlushAsync(cli.Cancellation);
            }
        }
        catch (Exception stopped) when (cli.Cancellation.IsCancellationRequested
            && stopped is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl+C: the user has seen what they wanted.
        }

        return GatewayCtl.Done;
    }
}
