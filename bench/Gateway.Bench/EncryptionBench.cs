using System.Globalization;
using Gateway.Core.Encryption;
using Grpc.Core;
using Interagency.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Bench;

/// <summary>
/// What sealing personal data at rest costs intake: <c>--encryption on|off</c> sets how the intake scenario's gateway
/// stores payloads (on, the product's only mode, by default), and <c>--scenario encryption</c> measures SubmitReferral
/// on a gateway that seals and on one that does not, in alternated windows of the same run, so that load from other
/// processes on a shared machine falls on both.
/// </summary>
internal static class EncryptionBench
{
    private const int Pairs = 3;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    /// <summary>Whether the intake scenario's gateway seals payloads (<c>--encryption</c>).</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>
    /// Without a data key ring the store writes in clear: the benchmark's off switch, which the gateway itself does not
    /// offer (it always registers a ring).
    /// </summary>
    public static Action<WebApplicationBuilder>? Configure(bool on, Action<WebApplicationBuilder>? other) =>
        on ? other : builder => { other?.Invoke(builder); builder.Services.RemoveAll<DataKeyRing>(); };

    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous, int seconds, int[] concurrencies)
    {
        await using var clear = await BenchGateway.StartAsync(
            Path.Combine(dataDir.FullName, "clear.db"), synchronous, Configure(false, null), "--Gateway:Delivery:Enabled=false");
        await using var sealing = await BenchGateway.StartAsync(
            Path.Combine(dataDir.FullName, "sealed.db"), synchronous, configure: null, "--Gateway:Delivery:Enabled=false");
        var channels = new[] { clear, sealing }
            .Select(g => Enumerable.Range(0, 4).Select(_ => Program.OpenChannel(g.Address)).ToArray())
            .ToArray();
        try
        {
            var clients = channels.Select(c => c.Select(channel => new ReferralService.ReferralServiceClient(channel)).ToArray()).ToArray();
            Func<int, CancellationToken, Task> Submit(int gateway, int used) =>
                (i, ct) => clients[gateway][i % used].SubmitReferralAsync(
                    ReferralFactory.Create(), new CallOptions(ReferralFactory.CallerHeaders, cancellationToken: ct)).ResponseAsync;

            var top = concurrencies.Max();
            await JitWarmUp.RunAsync(top, [Submit(0, Math.Min(top, 4)), Submit(1, Math.Min(top, 4))]);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Encryption at rest: SubmitReferral, payload sealed (AES-256-GCM) or in clear; synchronous {synchronous}, {seconds} s windows, {Pairs} alternated pairs per row"));
            Console.WriteLine($"{"callers",8} {"clear /s",10} {"sealed /s",10} {"cost",8}   pairs (clear/sealed)");
            var errors = 0L;
            foreach (var callers in concurrencies)
            {
                var used = Math.Min(callers, 4);
                var pairs = new List<(double Clear, double Sealed)>();
                for (var pair = 0; pair < Pairs; pair++)
                {
                    var off = await LoadRunner.RunAsync(callers, WarmUp, TimeSpan.FromSeconds(seconds), Submit(0, used));
                    var on = await LoadRunner.RunAsync(callers, WarmUp, TimeSpan.FromSeconds(seconds), Submit(1, used));
                    errors += off.Errors + on.Errors;
                    pairs.Add((off.CallsPerSecond, on.CallsPerSecond));
                }

                var (clearRate, sealedRate) = (pairs.Average(p => p.Clear), pairs.Average(p => p.Sealed));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{callers,8} {clearRate,10:N0} {sealedRate,10:N0} {(clearRate - sealedRate) / clearRate,8:P1}   {string.Join("  ", pairs.Select(p => $"{p.Clear:N0}/{p.Sealed:N0}"))}"));
            }

            Console.WriteLine("Goal: under 10 % at 64 callers.");
            return errors > 0 ? 1 : 0;
        }
        finally
        {
            foreach (var channel in channels.SelectMany(c => c))
            {
                channel.Dispose();
            }
        }
    }
}
