using System.Globalization;
using System.Security.Cryptography;
using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;
using Gateway.Storage.Postgres;
using Gateway.Storage.Sqlite;
using Gateway.Tests.Shared.Postgres;
using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Bench.Storage;

/// <summary>
/// The stores alone, without gRPC: concurrent callers accept the reference referral straight through
/// <see cref="IIntakeStore.AcceptAsync"/>, on the embedded SQLite store and on the PostgreSQL store (a fresh database on
/// the server of <c>LIAISON_TEST_POSTGRES</c>, created and dropped here), and the accepted messages per second of each
/// are printed side by side. What issue 20's goal compares: PostgreSQL at 64 callers against SQLite.
/// </summary>
public static class StoreIntakeBench
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(DirectoryInfo dataDir, string synchronous, TimeSpan window, IReadOnlyList<int> concurrencies)
    {
        Console.WriteLine($"Store intake: AcceptAsync of the reference referral (payload {Payload().Length} bytes, one recipient, one case), "
            + $"{window.TotalSeconds:0} s per cell after {WarmUp.TotalSeconds:0} s unmeasured; payloads in clear on both stores; SQLite synchronous={synchronous}");

        var sqlite = await MeasureAsync(
            new SqliteMessageStore(
                Options.Create(new SqliteStoreOptions { Path = Path.Combine(dataDir.FullName, "store-intake.db"), Synchronous = synchronous }),
                TimeProvider.System,
                NullLogger<SqliteMessageStore>.Instance),
            window,
            concurrencies);
        Measurement[]? postgres = null;
        if (PostgresTestServer.ConnectionString is not { } server)
        {
            Console.WriteLine($"PostgreSQL: not measured: {PostgresTestServer.SkipReason}");
        }
        else
        {
            await using var database = await PostgresTestDatabase.CreateAsync(server);
            postgres = await MeasureAsync(
                await PostgresMessageStore.OpenAsync(database.ConnectionString, TimeProvider.System, NullLogger<PostgresMessageStore>.Instance),
                window,
                concurrencies);
        }

        Console.WriteLine("  callers   SQLite acc/s   p50 ms   p99 ms   PostgreSQL acc/s   p50 ms   p99 ms   PG/SQLite");
        for (var i = 0; i < sqlite.Length; i++)
        {
            var line = string.Create(
                CultureInfo.InvariantCulture, $"  {sqlite[i].Callers,7}   {sqlite[i].CallsPerSecond,12:0}   {sqlite[i].PercentileMs(0.5),6:0.00}   {sqlite[i].PercentileMs(0.99),6:0.00}");
            if (postgres is not null)
            {
                var pg = postgres[i];
                line += string.Create(
                    CultureInfo.InvariantCulture,
                    $"   {pg.CallsPerSecond,16:0}   {pg.PercentileMs(0.5),6:0.00}   {pg.PercentileMs(0.99),6:0.00}   {pg.CallsPerSecond / sqlite[i].CallsPerSecond,8:P0}");
            }

            Console.WriteLine(line);
        }

        var failed = sqlite.Concat(postgres ?? []).FirstOrDefault(m => m.Errors > 0);
        if (failed is not null)
        {
            Console.Error.WriteLine($"{failed.Errors} acceptances failed at {failed.Callers} callers: {failed.FirstError}");
            return 1;
        }

        return 0;
    }

    /// <summary>Every cell on the one store, then the store closed; an unmeasured run at the highest count first, for the JIT.</summary>
    private static async Task<Measurement[]> MeasureAsync<TStore>(TStore store, TimeSpan window, IReadOnlyList<int> concurrencies)
        where TStore : IIntakeStore, IAsyncDisposable
    {
        await using (store)
        {
            await LoadRunner.RunAsync(concurrencies.Max(), TimeSpan.Zero, WarmUp, (_, ct) => AcceptAsync(store, ct));
            var cells = new Measurement[concurrencies.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = await LoadRunner.RunAsync(concurrencies[i], WarmUp, window, (_, ct) => AcceptAsync(store, ct));
            }

            return cells;
        }
    }

    private static async Task AcceptAsync(IIntakeStore store, CancellationToken cancellationToken)
    {
        var outcome = await store.AcceptAsync(IntakeLifecycle.Accept(Message(), null).Changes!, cancellationToken);
        if (!outcome.Applied)
        {
            throw new InvalidOperationException($"The store did not apply an acceptance: {outcome.Failed}");
        }
    }

    /// <summary>The reference referral as intake hands it to a store once its rules and routing passed.</summary>
    private static NewMessage Message()
    {
        var request = ReferralFactory.Create();
        var payload = request.ToByteArray();
        return new NewMessage(
            request.Header.MessageId,
            MessageKind.Referral,
            request.Header.CaseReference,
            AgencyId.Parse(request.Header.Sender),
            [.. request.Header.Recipients.Select(AgencyId.Parse)],
            payload,
            SHA256.HashData(payload),
            request.Header.CreatedAt.ToDateTimeOffset(),
            MessageState.Accepted,
            DeliveryState.Pending);
    }

    private static byte[] Payload() => ReferralFactory.Create().ToByteArray();
}
