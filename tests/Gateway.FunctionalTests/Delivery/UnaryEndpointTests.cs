using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// A gateway process delivering to an endpoint without DeliverBatch (one Deliver call per message, each case's run
/// stopped at its first failure), on Kestrel in this process on 127.0.0.1.
/// </summary>
public sealed class UnaryEndpointTests
{
    private const string Fujian = "CN/FJPSD";

    [Fact]
    public async Task The_rest_of_a_case_not_sent_after_its_first_message_failed_keeps_its_attempts()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-unary-").FullName;
        var database = Path.Combine(folder, "gateway.db");
        try
        {
            await using var endpoint = await UnaryEndpoint.StartAsync(refusals: 1);

            // Stored while nothing delivers, so that the case's three messages are claimed and sent as one run.
            var caseReference = "CN-FJ-UNARY-1";
            var accepted = await GatewayProcess.StoreReferralsAsync(database, caseReference, 3);

            await using var gateway = await GatewayProcess.StartAsync(
                database,
                EndpointArgument(endpoint.Address),
                "--Gateway:Delivery:Retry:BaseDelay=00:00:00.050",
                "--Gateway:Delivery:Retry:MaxDelay=00:00:00.100");
            await Eventually.WaitForAsync(() => endpoint.Applied.Count, count => count == 3, "the case's three messages applied");

            // The first was refused once and applied at its second attempt; the two behind it were never sent with it,
            // so they arrive at their first.
            Assert.Equal(
                [(accepted[0], 1u, false), (accepted[0], 2u, true), (accepted[1], 1u, true), (accepted[2], 1u, true)],
                endpoint.Received);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Points Fujian's directory entry (found by id in the sample configuration) at <paramref name="address"/>.</summary>
    private static string EndpointArgument(string address)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var index = configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>()!.Agencies.FindIndex(a => a.Id == Fujian);
        return string.Create(CultureInfo.InvariantCulture, $"--{DirectoryOptions.Section}:Agencies:{index}:Endpoint={address}");
    }

    /// <summary>An agency endpoint with <c>Deliver</c> only, refusing its first calls as if down, recording every call in order.</summary>
    private sealed class UnaryEndpoint : AgencyEndpointService.AgencyEndpointServiceBase, IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string MessageId, uint Attempt, bool Applied)> _received = new();
        private LoopbackGrpcServer _host = null!;
        private int _refusals;

        public string Address => _host.Address;

        public IReadOnlyList<(string MessageId, uint Attempt, bool Applied)> Received => [.. _received];

        public IReadOnlyList<(string MessageId, uint Attempt, bool Applied)> Applied => [.. _received.Where(r => r.Applied)];

        public static async Task<UnaryEndpoint> StartAsync(int refusals)
        {
            var endpoint = new UnaryEndpoint { _refusals = refusals };
            endpoint._host = await LoopbackGrpcServer.StartAsync(endpoint);
            return endpoint;
        }

        public override Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context)
        {
            var refused = Interlocked.Decrement(ref _refusals) >= 0;
            _received.Enqueue((request.Header.MessageId, request.Attempt, !refused));
            return refused
                ? throw new RpcException(new Status(StatusCode.Unavailable, "down for this call"))
                : Task.FromResult(new DeliverResponse { Outcome = DeliveryOutcome.Applied });
        }

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }
}
