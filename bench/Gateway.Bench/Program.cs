using System.Globalization;
using Gateway.Hosting;
using Gateway.Storage.Sqlite;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Interagency.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace Gateway.Bench;

// An explicit class rather than top-level statements: the gateway's own top-level Program is public in .NET 10
// and a second global Program would clash with it.

/// <summary>
/// Starts the real gateway in this process on a free loopback port with a fresh database, then measures
/// a no-op RPC and SubmitReferral at several concurrencies and prints one table.
/// Usage: Gateway.Bench [--seconds N] [--synchronous FULL|NORMAL|EXTRA]
/// </summary>
internal static class Program
{
    private static readonly int[] Concurrencies = [1, 16, 64];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    // HTTP/2 multiplexes, so a few connections carry any number of callers, as a partner's system would.
    private const int MaxChannels = 4;

    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var seconds, out var synchronous, out var problem))
        {
            Console.Error.WriteLine(problem);
            Console.Error.WriteLine("usage: Gateway.Bench [--seconds N (1-600, default 5)] [--synchronous FULL|NORMAL|EXTRA (default FULL)]");
            return 2;
        }

        var dataDir = Directory.CreateTempSubdirectory("gateway-bench-");
        try
        {
            return await RunAsync(seconds, synchronous, Path.Combine(dataDir.FullName, "bench.db"));
        }
        finally
        {
            // Pooled read connections would keep the file open; close them before removing it.
            SqliteConnection.ClearAllPools();
            dataDir.Delete(recursive: true);
        }
    }

    private static async Task<int> RunAsync(int seconds, string synchronous, string databasePath)
    {
        string[] gatewayArgs =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Gateway:Storage:Sqlite:Path={databasePath}",
            $"--Gateway:Storage:Sqlite:Synchronous={synchronous}",
            "--Logging:LogLevel:Default=Warning",
        ];
        var app = GatewayHost.CreateBuilder(gatewayArgs).Build();
        await using (app)
        {
            app.MapGateway();
            await app.StartAsync();
            try
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
                var store = app.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
                Report.PrintHeader(address, store.Synchronous, store.Path, seconds, WarmUp);
                return await MeasureAsync(address, TimeSpan.FromSeconds(seconds));
            }
            finally
            {
                // Stopping disposes nothing yet; DisposeAsync (the using) then closes the store after its last commit.
                await app.StopAsync();
            }
        }
    }

    private static async Task<int> MeasureAsync(string address, TimeSpan window)
    {
        var channels = Enumerable.Range(0, MaxChannels).Select(_ => OpenChannel(address)).ToArray();
        try
        {
            var health = channels.Select(c => new HealthClient(c)).ToArray();
            var referrals = channels.Select(c => new ReferralService.ReferralServiceClient(c)).ToArray();
            if (await VerifyAsync(health[0], referrals[0]) is { } failure)
            {
                Console.Error.WriteLine($"verification failed: {failure}");
                return 1;
            }

            var noOpRequest = new HealthCheckRequest();
            var rows = new List<Row>();
            foreach (var callers in Concurrencies)
            {
                // Caller i always uses the same channel, so each connection carries callers/channels streams.
                var used = Math.Min(callers, MaxChannels);
                var noOp = await LoadRunner.RunAsync(callers, WarmUp, window, (i, ct) =>
                    health[i % used].CheckAsync(noOpRequest, Options(ct)).ResponseAsync);
                var referral = await LoadRunner.RunAsync(callers, WarmUp, window, (i, ct) =>
                    referrals[i % used].SubmitReferralAsync(ReferralFactory.Create(), Options(ct)).ResponseAsync);
                rows.Add(new Row(noOp, referral));
            }

            Report.PrintTable(rows);
            Report.PrintGoals(rows);

            // Goals are reported, not enforced: the exit code says only whether the run itself was sound.
            return rows.Any(r => r.NoOp.Errors > 0 || r.Referral.Errors > 0) ? 1 : 0;
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>Checks once that the scenario is really accepted, so the numbers are not those of fast refusals.</summary>
    private static async Task<string?> VerifyAsync(HealthClient health, ReferralService.ReferralServiceClient referrals)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var status = await health.CheckAsync(new HealthCheckRequest(), Options(timeout.Token));
            if (status.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return $"health is {status.Status}";
            }

            var request = ReferralFactory.Create();
            var receipt = (await referrals.SubmitReferralAsync(request, Options(timeout.Token))).Receipt;
            if (receipt is null
                || receipt.MessageId != request.Header.MessageId
                || receipt.State != Interagency.V1.MessageState.Accepted
                || !receipt.ResolvedRecipients.SequenceEqual(["CN/FJPSD"]))
            {
                return $"unexpected receipt {receipt}";
            }

            return null;
        }
        catch (RpcException error)
        {
            return $"{error.StatusCode}: {error.Status.Detail}";
        }
    }

    private static CallOptions Options(CancellationToken cancellationToken) =>
        new(headers: ReferralFactory.CallerHeaders, cancellationToken: cancellationToken);

    private static GrpcChannel OpenChannel(string address) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            // One connection per channel, so the channel count is the connection count.
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
            DisposeHttpClient = true,
        });

    private static bool TryParse(string[] args, out int seconds, out string synchronous, out string? problem)
    {
        seconds = 5;
        synchronous = "FULL";
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 600:
                    seconds = s;
                    i++;
                    break;
                case "--synchronous" when value?.ToUpperInvariant() is "FULL" or "NORMAL" or "EXTRA":
                    synchronous = value.ToUpperInvariant();
                    i++;
                    break;
                default:
                    problem = $"unknown or invalid argument '{args[i]}'";
                    return false;
            }
        }

        return true;
    }
}
