using Gateway.Core.Encryption;
using Gateway.Encryption;
using System.Collections.Concurrent;
using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Storage.Sqlite;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Gateway.FunctionalTests.Durability;

/// <summary>An acknowledgement means committed to disk: kill the real process mid-load and count what survived.</summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Callers = 32;
    private const int AcknowledgementsBeforeKill = 1500;
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-crash-").FullName;

    private string DatabasePath => Path.Combine(_folder, "gateway.db");

    [Fact]
    public async Task Every_acknowledged_message_survives_SIGKILL_with_its_audit_entries()
    {
        var acknowledged = new ConcurrentDictionary<string, Receipt>();
        await using (var gateway = await GatewayProcess.StartAsync(DatabasePath, GatewayProcess.IntakeOnly))
        {
            var client = new ReferralService.ReferralServiceClient(gateway.Channel);
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                while (!deadline.IsCancellationRequested)
                {
                    var request = Samples.Referral();
                    try
                    {
                        var receipt = (await client.SubmitReferralAsync(request, GatewayServer.As(request.Header.Sender), cancellationToken: deadline.Token)).Receipt;
                        acknowledged[receipt.MessageId] = receipt;
                        if (acknowledged.Count >= AcknowledgementsBeforeKill)
                        {
                            enough.TrySetResult();
                        }
                    }
                    catch (RpcException)
                    {
                        return; // The gateway is gone; calls in flight at the kill are not acknowledged.
                    }
                }
            })).ToArray();

            await enough.Task.WaitAsync(deadline.Token);
            await gateway.KillAsync();
            await Task.WhenAll(callers);
        }

        output.WriteLine($"{acknowledged.Count} referrals acknowledged before SIGKILL by {Callers} concurrent callers");

        await using (var restarted = await GatewayProcess.StartAsync(DatabasePath, GatewayProcess.IntakeOnly))
        {
            var after = Samples.Referral();
            var receipt = (await new ReferralService.ReferralServiceClient(restarted.Channel)
                .SubmitReferralAsync(after, GatewayServer.As(after.Header.Sender))).Receipt;
            Assert.True(receipt.AuditSequence > acknowledged.Values.Max(r => r.AuditSequence));
            Assert.Equal(0, await restarted.StopAsync());
        }

        // The gateway sealed the payloads under the development key it made beside the store.
        var (key, _) = DevelopmentDataKey.LoadOrCreate(DatabasePath);
        var store = new SqliteMessageStore(
            Options.Create(new SqliteStoreOptions { Path = DatabasePath }), TimeProvider.System, NullLogger<SqliteMessageStore>.Instance, keys: new DataKeyRing([key], key.Id));
        await using (store)
        {
            var audit = (await store.ReadAuditAsync(default).ToListAsync()).ToDictionary(a => a.Sequence);
            var lost = 0;
            foreach (var (id, receipt) in acknowledged)
            {
                var stored = await store.FindMessageAsync(id, default);
                var accepted = audit.GetValueOrDefault((long)receipt.AuditSequence);
                var deliveries = await store.GetDeliveriesAsync(id, default);
                if (stored is null || stored.Receipt.AuditSequence != (long)receipt.AuditSequence
                    || accepted is not { Kind: AuditKinds.MessageAccepted } || accepted.MessageId != id
                    || deliveries.Count != 1
                    || accepted.Details.HoldReleaseParty != "RU/MVD"
                    || await store.FindHoldAsync(id, default) is not { State: HoldState.Open })
                {
                    lost++;
                }
            }

            var verification = AuditVerifier.Verify(audit.Values.OrderBy(a => a.Sequence), await store.ReadAuditHeadAsync(default));
            output.WriteLine($"after restart: {lost} lost, audit chain of {verification.RecordsChecked} entries intact: {verification.IsIntact}");
            Assert.Equal(0, lost);
            Assert.True(verification.IsIntact, verification.Problem);
        }

        var (exitCode, verifyOutput) = await GatewayProcess.RunCommandAsync("verify-audit", $"--Gateway:Storage:Sqlite:Path={DatabasePath}");
        Assert.True(exitCode == 0, verifyOutput);
        Assert.Contains("audit log intact", verifyOutput);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
