using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Core.Agencies;
using Gateway.Core.Encryption;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Storage.Sqlite;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Encryption;

/// <summary>
/// Key rotation through the real gateway: messages written under k1; k2 made active (restart) and more written; the
/// operator's ReencryptStore moves everything to k2; k1 removed (restart); every message still reads as sent, and is
/// delivered as sent once its endpoint comes up.
/// </summary>
public sealed class RotationTests
{
    private const string Fujian = "CN/FJPSD";
    private static readonly DataKey K1 = DataKey.Generate("k1");
    private static readonly DataKey K2 = DataKey.Generate("k2");

    [Fact]
    public async Task Messages_under_an_old_key_stay_readable_and_after_reencryption_the_old_key_can_go()
    {
        await using var endpoint = await GatedEndpoint.StartAsync();
        DataKey[] keys = [K1];
        var server = new GatewayServer
        {
            ExtraArguments =
            [
                "--Gateway:Delivery:Enabled=true",
                EndpointArgument(endpoint.Address),
                "--Gateway:Delivery:Retry:BaseDelay=00:00:00.050",
                "--Gateway:Delivery:Retry:MaxDelay=00:00:00.200",
                "--Gateway:Delivery:Retry:MaxAttempts=100000",
                "--Gateway:Delivery:IdlePoll=00:00:00.100",
            ],
            Configure = builder => builder.Configuration.AddInMemoryCollection(KeySettings(keys)),
        };
        await server.InitializeAsync();
        try
        {
            var sent = Enumerable.Range(0, 6).Select(SealedReferrals.Create).ToArray();
            await SubmitAsync(server, sent[..3]);

            keys = [K1, K2];
            await server.RestartAsync();
            await SubmitAsync(server, sent[3..]);
            await AssertContentAsync(server, sent);
            var path = server.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path;
            Assert.Equal(["k1", "k1", "k1", "k2", "k2", "k2"], PayloadKeys(path));

            var progress = await ReencryptAsync(server);
            Assert.True(progress[^1].Done);
            Assert.Equal("k2", progress[^1].ActiveKeyId);
            Assert.True(progress[^1].ValuesResealed >= 3);
            Assert.True(progress.Count > 1);

            keys = [K2];
            await server.RestartAsync();
            Assert.Equal(["k2", "k2", "k2", "k2", "k2", "k2"], PayloadKeys(path));
            await AssertContentAsync(server, sent);

            endpoint.Open();
            await Eventually.WaitForAsync(() => endpoint.Applied.Count, count => count == sent.Length, "the six referrals applied at Fujian");
            foreach (var referral in sent)
            {
                Assert.Equal(referral.Referral, endpoint.Applied[referral.Header.MessageId]);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static Dictionary<string, string?> KeySettings(DataKey[] keys)
    {
        var settings = new Dictionary<string, string?> { ["Gateway:Encryption:ActiveKey"] = keys[^1].Id };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Gateway:Encryption:Keys:{i}:Id"] = keys[i].Id;
            settings[$"Gateway:Encryption:Keys:{i}:Value"] = keys[i].ToBase64();
        }

        return settings;
    }

    private static async Task SubmitAsync(GatewayServer server, IEnumerable<SubmitReferralRequest> referrals)
    {
        var client = new ReferralService.ReferralServiceClient(server.Channel);
        foreach (var referral in referrals)
        {
            await client.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        }
    }

    private static async Task AssertContentAsync(GatewayServer server, IEnumerable<SubmitReferralRequest> sent)
    {
        var trace = new TraceService.TraceServiceClient(server.Channel);
        foreach (var referral in sent)
        {
            var shown = await trace.GetMessageContentAsync(
                new GetMessageContentRequest { MessageId = referral.Header.MessageId, Reason = "checking the referral after rotation" },
                GatewayServer.As("CN/PLO-RU"));
            Assert.Equal(referral, shown.Content.Unpack<SubmitReferralRequest>());
        }
    }

    private static async Task<List<ReencryptStoreResponse>> ReencryptAsync(GatewayServer server)
    {
        using var call = new OperationsService.OperationsServiceClient(server.Channel)
            .ReencryptStore(new ReencryptStoreRequest { BatchSize = 2 }, AsOperator());
        var progress = new List<ReencryptStoreResponse>();
        await foreach (var batch in call.ResponseStream.ReadAllAsync())
        {
            progress.Add(batch);
        }

        return progress;
    }

    private static List<string?> PayloadKeys(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM messages ORDER BY seq";
        using var reader = command.ExecuteReader();
        var keys = new List<string?>();
        while (reader.Read())
        {
            keys.Add(SealedValue.KeyIdOf((byte[])reader[0]));
        }

        return keys;
    }

    /// <summary>Points Fujian's directory entry (found by id in the sample configuration) at <paramref name="address"/>.</summary>
    private static string EndpointArgument(string address)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var index = configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>()!.Agencies.FindIndex(a => a.Id == Fujian);
        return string.Create(CultureInfo.InvariantCulture, $"--{DirectoryOptions.Section}:Agencies:{index}:Endpoint={address}");
    }

    /// <summary>An agency endpoint that answers Unavailable until opened, then applies and records each referral.</summary>
    private sealed class GatedEndpoint : AgencyEndpointService.AgencyEndpointServiceBase, IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, CaseReferral> _applied = new();
        private LoopbackGrpcServer _host = null!;
        private volatile bool _open;

        public string Address => _host.Address;

        public IReadOnlyDictionary<string, CaseReferral> Applied => _applied;

        public static async Task<GatedEndpoint> StartAsync()
        {
            var endpoint = new GatedEndpoint();
            endpoint._host = await LoopbackGrpcServer.StartAsync(endpoint);
            return endpoint;
        }

        public void Open() => _open = true;

        public override Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context)
        {
            if (!_open)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "closed until the test opens it"));
            }

            _applied[request.Header.MessageId] = request.Referral;
            return Task.FromResult(new DeliverResponse { Outcome = DeliveryOutcome.Applied });
        }

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }
}
