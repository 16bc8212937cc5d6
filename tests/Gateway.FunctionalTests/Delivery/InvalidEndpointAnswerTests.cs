using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// An endpoint whose first answer breaks the contract's rules (a refusal without its reason, a question without its
/// text), on Kestrel in this process on 127.0.0.1, and a gateway process delivering to it: the answer is a failed attempt,
/// retried, never taken as final.
/// </summary>
public sealed class InvalidEndpointAnswerTests
{
    private const string Fujian = "CN/FJPSD";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_invalid_answer_is_a_failed_attempt_that_is_retried_and_stops_the_rest_of_its_case_on_a_unary_endpoint(bool batch)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-invalid-answer-").FullName;
        var database = Path.Combine(folder, "gateway.db");
        try
        {
            await using var endpoint = await ScriptedEndpoint.StartAsync(batch);
            var caseReference = "CN-FJ-INVALID-" + (batch ? "BATCH" : "UNARY");
            var accepted = await GatewayProcess.StoreReferralsAsync(database, caseReference, 2);

            await using var gateway = await GatewayProcess.StartAsync(
                database,
                EndpointArgument(endpoint.Address),
                "--Gateway:Delivery:Retry:BaseDelay=00:00:00.050",
                "--Gateway:Delivery:Retry:MaxDelay=00:00:00.100");
            await Eventually.WaitForAsync(
                () => accepted.SelectMany(id => GatewayDatabase.Deliveries(database, id)).ToList(),
                deliveries => deliveries.Count == 2 && deliveries.All(d => d.State == (int)DeliveryState.Delivered),
                "both messages delivered");
            Assert.Equal(accepted.Order(), endpoint.Applied.Order());

            Assert.Equal([(Fujian, (int)DeliveryState.Delivered, 2)], GatewayDatabase.Deliveries(database, accepted[0]));
            var retry = Assert.Single(GatewayDatabase.AuditAbout(database, accepted[0]), e => e.Kind == AuditKinds.DeliveryRetry);
            var rule = batch ? "deliver_result.refusal" : "deliver_response.clarification";
            Assert.Equal($"invalid answer ({rule})", AuditDetails.Parse(retry.Details).Error);
            Assert.DoesNotContain(GatewayDatabase.AuditAbout(database, accepted[0]), e => e.Kind.StartsWith("notice.", StringComparison.Ordinal));
            if (!batch)
            {
                // The second message waited for the first: nothing of a case is applied after a message that was not.
                Assert.Equal([(accepted[0], 1u), (accepted[0], 2u), (accepted[1], 1u)], endpoint.Received);
            }
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

    /// <summary>
    /// Answers the first delivery it is sent with an answer the contract forbids (through DeliverBatch, a refusal without a
    /// reason; through Deliver, a question without text) and applies everything else; records each call in order.
    /// </summary>
    private sealed class ScriptedEndpoint : AgencyEndpointService.AgencyEndpointServiceBase, IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string MessageId, uint Attempt)> _received = new();
        private readonly ConcurrentDictionary<string, bool> _applied = new();
        private LoopbackGrpcServer _host = null!;
        private bool _batch;
        private int _invalid = 1;

        public string Address => _host.Address;

        public IReadOnlyList<(string MessageId, uint Attempt)> Received => [.. _received];

        public IReadOnlyCollection<string> Applied => [.. _applied.Keys];

        public static async Task<ScriptedEndpoint> StartAsync(bool batch)
        {
            var endpoint = new ScriptedEndpoint { _batch = batch };
            endpoint._host = await LoopbackGrpcServer.StartAsync(endpoint);
            return endpoint;
        }

        public override Task<DeliverBatchResponse> DeliverBatch(DeliverBatchRequest request, ServerCallContext context)
        {
            if (!_batch)
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, "Deliver only"));
            }

            var response = new DeliverBatchResponse();
            foreach (var delivery in request.Deliveries)
            {
                response.Results.Add(Receive(delivery)
                    ? new DeliverResult { DeliveryId = delivery.DeliveryId, Outcome = DeliveryOutcome.Applied }
                    : new DeliverResult { DeliveryId = delivery.DeliveryId, Outcome = DeliveryOutcome.Refused });
            }

            return Task.FromResult(response);
        }

        public override Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context) =>
            Task.FromResult(Receive(request)
                ? new DeliverResponse { Outcome = DeliveryOutcome.Applied }
                : new DeliverResponse { Outcome = DeliveryOutcome.ClarificationRequested });

        public ValueTask DisposeAsync() => _host.DisposeAsync();

        /// <summary>Records the call; false for the one answered invalidly, true for one applied.</summary>
        private bool Receive(DeliverRequest delivery)
        {
            _received.Enqueue((delivery.Header.MessageId, delivery.Attempt));
            if (Interlocked.Decrement(ref _invalid) >= 0)
            {
                return false;
            }

            _applied[delivery.Header.MessageId] = true;
            return true;
        }
    }
}
